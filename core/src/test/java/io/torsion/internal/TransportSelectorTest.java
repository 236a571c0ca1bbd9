package io.torsion.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.torsion.ReactorOptions;
import io.torsion.ReactorReport;
import io.torsion.ReactorUnavailableException;
import io.torsion.internal.TransportSelector.Forced;
import io.torsion.internal.TransportSelector.Selection;
import io.torsion.spi.Availability;
import io.torsion.spi.Network;
import io.torsion.spi.Platform;
import io.torsion.spi.ReactorProvider;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import org.junit.jupiter.api.Test;

class TransportSelectorTest {
  private static final Platform LINUX = new Platform("Linux", "amd64");
  private static final Platform MAC = new Platform("Mac OS X", "aarch64");
  private static final Platform WINDOWS = new Platform("Windows 11", "amd64");

  /** A provider with a fixed availability and priorities per operating system. */
  private record Fake(String name, Map<Platform.Os, Integer> priorities, Availability availability)
      implements ReactorProvider {
    @Override
    public int priority(Platform platform) {
      return priorities.getOrDefault(platform.os(), 0);
    }

    @Override
    public Network open(ReactorOptions options) {
      throw new AssertionError("selection never opens");
    }
  }

  private static final Fake NIO =
      new Fake(
          "nio",
          Map.of(
              Platform.Os.LINUX,
              10,
              Platform.Os.MACOS,
              10,
              Platform.Os.BSD,
              10,
              Platform.Os.WINDOWS,
              10,
              Platform.Os.OTHER,
              10),
          Availability.AVAILABLE);
  private static final Fake EPOLL_OK =
      new Fake("epoll", Map.of(Platform.Os.LINUX, 100), Availability.AVAILABLE);
  private static final Fake EPOLL_BROKEN =
      new Fake(
          "epoll",
          Map.of(Platform.Os.LINUX, 100),
          Availability.unavailable(
              "native library did not load",
              new UnsatisfiedLinkError("libnetty_transport_native_epoll")));
  private static final Fake KQUEUE_ON_MAC =
      new Fake(
          "kqueue", Map.of(Platform.Os.MACOS, 100, Platform.Os.BSD, 100), Availability.AVAILABLE);
  private static final Fake IOCP =
      new Fake("iocp", Map.of(Platform.Os.WINDOWS, 100), Availability.AVAILABLE);
  private static final Fake URING = new Fake("io_uring", Map.of(), Availability.AVAILABLE);

  private static Selection auto(Platform platform, ReactorProvider... providers) {
    return TransportSelector.select(List.of(providers), List.of(), platform, null);
  }

  @Test
  void picksTheHighestPriorityAvailableProviderForEachPlatform() {
    List<ReactorProvider> all = List.of(NIO, EPOLL_OK, KQUEUE_ON_MAC, IOCP, URING);
    assertThat(TransportSelector.select(all, List.of(), LINUX, null).report().transport())
        .isEqualTo("epoll");
    assertThat(TransportSelector.select(all, List.of(), MAC, null).report().transport())
        .isEqualTo("kqueue");
    assertThat(TransportSelector.select(all, List.of(), WINDOWS, null).report().transport())
        .isEqualTo("iocp");
    assertThat(
            TransportSelector.select(all, List.of(), new Platform("SunOS", "sparc"), null)
                .report()
                .transport())
        .isEqualTo("nio");
  }

  @Test
  void aZeroPriorityProviderIsNeverChosenAutomatically() {
    assertThat(auto(LINUX, URING, NIO).report().transport()).isEqualTo("nio");
  }

  @Test
  void passingOverABrokenNativeTransportWarnsWithItsCause() {
    Selection selection = auto(LINUX, NIO, EPOLL_BROKEN);
    assertThat(selection.report().transport()).isEqualTo("nio");
    assertThat(selection.report().chosen()).isEqualTo(ReactorReport.Choice.AUTO);
    assertThat(selection.report().reason())
        .contains("passed over epoll")
        .contains("native library did not load");
    assertThat(selection.warnings())
        .singleElement()
        .asString()
        .contains("epoll")
        .contains("libnetty_transport_native_epoll")
        .contains("-Dtorsion.reactor=nio");
  }

  @Test
  void aForcedProviderIsUsedEvenWithALowerPriority() {
    Selection selection =
        TransportSelector.select(
            List.of(NIO, EPOLL_OK),
            List.of(),
            LINUX,
            new Forced("nio", "system property torsion.reactor"));
    assertThat(selection.report().transport()).isEqualTo("nio");
    assertThat(selection.report().chosen()).isEqualTo(ReactorReport.Choice.FORCED);
    assertThat(selection.report().reason()).contains("system property torsion.reactor=nio");
    assertThat(selection.report().summary()).isEqualTo("reactor=nio chosen=forced");
  }

  @Test
  void anUnknownForcedNameFailsAndListsTheProviders() {
    assertThatThrownBy(
            () ->
                TransportSelector.select(
                    List.of(NIO, EPOLL_BROKEN),
                    List.of(),
                    LINUX,
                    new Forced("bogus", "system property torsion.reactor")))
        .isInstanceOf(ReactorUnavailableException.class)
        .hasMessageContaining("torsion.reactor=bogus")
        .hasMessageContaining("names no transport provider")
        .hasMessageContaining("nio (priority 10): available")
        .hasMessageContaining("epoll (priority 100): unavailable");
  }

  @Test
  void anUnavailableForcedProviderFailsWithItsReasonAndNeverFallsBack() {
    assertThatThrownBy(
            () ->
                TransportSelector.select(
                    List.of(NIO, EPOLL_BROKEN),
                    List.of(),
                    LINUX,
                    new Forced("epoll", "environment variable TORSION_REACTOR")))
        .isInstanceOf(ReactorUnavailableException.class)
        .hasMessageContaining("cannot run")
        .hasMessageContaining("native library did not load")
        .hasMessageContaining("never replaced")
        .hasCauseInstanceOf(UnsatisfiedLinkError.class);
  }

  @Test
  void kqueueIsUnavailableOnLinuxAndSaysWhyButIsChosenOnMacAndBsd() {
    Fake kqueueOnLinux =
        new Fake(
            "kqueue",
            Map.of(Platform.Os.MACOS, 100, Platform.Os.BSD, 100),
            Availability.unavailable("kqueue exists on macOS and BSD only", null));
    Selection linux = auto(LINUX, NIO, kqueueOnLinux);
    assertThat(linux.report().transport()).isEqualTo("nio");
    assertThat(linux.warnings()).as("kqueue does not suit Linux: no warning").isEmpty();
    assertThat(auto(new Platform("FreeBSD", "amd64"), NIO, KQUEUE_ON_MAC).report().transport())
        .isEqualTo("kqueue");
  }

  @Test
  void nothingRunnableIsAClearError() {
    assertThatThrownBy(() -> auto(LINUX))
        .isInstanceOf(ReactorUnavailableException.class)
        .hasMessageContaining("torsion-transport-nio");
    assertThatThrownBy(() -> auto(LINUX, EPOLL_BROKEN))
        .isInstanceOf(ReactorUnavailableException.class)
        .hasMessageContaining("epoll (priority 100): unavailable");
  }

  @Test
  void providersThatFailToLoadAreListed() {
    Selection selection =
        TransportSelector.select(
            List.of(NIO), List.of("NoClassDefFoundError: io/netty/Foo"), LINUX, null);
    assertThat(selection.report().candidates())
        .extracting(ReactorReport.Candidate::status)
        .anyMatch(status -> status.contains("NoClassDefFoundError"));
  }

  @Test
  void aThrowingAvailabilityCheckCountsAsUnavailable() {
    ReactorProvider throwing =
        new ReactorProvider() {
          @Override
          public String name() {
            return "epoll";
          }

          @Override
          public int priority(Platform platform) {
            return 100;
          }

          @Override
          public Availability availability() {
            throw new IllegalStateException("probe exploded");
          }

          @Override
          public Network open(ReactorOptions options) {
            throw new AssertionError("selection never opens");
          }
        };
    Selection selection = auto(LINUX, NIO, throwing);
    assertThat(selection.report().transport()).isEqualTo("nio");
    assertThat(selection.report().reason()).contains("probe exploded");
  }

  @Test
  void theSystemPropertyBeatsTheEnvironmentWhichBeatsTheOptions() {
    ReactorOptions options = ReactorOptions.builder().transport("from-options").build();
    assertThat(TransportSelector.forced(options, key -> "prop", key -> "env").name())
        .isEqualTo("prop");
    assertThat(TransportSelector.forced(options, key -> null, key -> "env").source())
        .isEqualTo("environment variable TORSION_REACTOR");
    assertThat(TransportSelector.forced(options, key -> " ", key -> null).name())
        .isEqualTo("from-options");
    assertThat(TransportSelector.forced(ReactorOptions.defaults(), key -> null, key -> null))
        .isNull();
  }

  @Test
  void theThreadsPropertyOverridesTheOptionsAndIsValidated() {
    ReactorOptions options = ReactorOptions.builder().threads(2).build();
    assertThat(TransportSelector.withOverrides(options, key -> null).threads()).isEqualTo(2);
    assertThat(
            TransportSelector.withOverrides(
                    options, key -> key.equals("torsion.reactor.threads") ? " 4 " : null)
                .threads())
        .isEqualTo(4);
    assertThatThrownBy(() -> TransportSelector.withOverrides(options, key -> "many"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-Dtorsion.reactor.threads=many");
    assertThatThrownBy(() -> TransportSelector.withOverrides(options, key -> "0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("from 1 to 1024");
  }

  @Test
  void reportReadsWellInALog() {
    String report =
        auto(LINUX, NIO, EPOLL_BROKEN).report().withDetail("rlimit: 1024/4096").toString();
    assertThat(report)
        .startsWith("reactor=nio chosen=auto: highest-priority available transport on Linux/amd64")
        .contains("\n  epoll (priority 100): unavailable")
        .contains("\n  rlimit: 1024/4096");
  }

  @Test
  void aProviderThatFailsToLoadNamesItsRootCause() {
    Throwable error =
        new ServiceConfigurationError(
            "io.torsion.spi.ReactorProvider: Provider x could not be instantiated",
            new NoClassDefFoundError("io/netty/channel/nio/NioIoHandler"));
    assertThat(TransportSelector.describeLoadFailure(error))
        .contains("could not be instantiated")
        .contains("caused by java.lang.NoClassDefFoundError: io/netty/channel/nio/NioIoHandler");
  }
}
