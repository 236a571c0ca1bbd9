package io.torsion.transport.iouring;

import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringDomainSocketChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerDomainSocketChannel;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.torsion.ReactorOptions;
import io.torsion.spi.Availability;
import io.torsion.spi.Network;
import io.torsion.spi.Platform;
import io.torsion.spi.ReactorProvider;
import io.torsion.transport.netty.NettyTransport;
import java.util.Locale;

/**
 * The {@code io_uring} transport: Netty 4.2's io_uring I/O handler. Opt-in only ({@code
 * -Dtorsion.reactor=io_uring}): it is never chosen automatically until benchmarks and the
 * conformance kit say it should be. When it cannot run (kernel too old, io_uring disabled by
 * seccomp or {@code kernel.io_uring_disabled}, natives missing) its availability says why.
 *
 * <p>Netty's multishot accept re-arms itself when the kernel ends it with an error, so a process
 * out of file descriptors would spin (measured here: a whole core, 600,000 failed accepts a
 * second). Unless {@value #MULTISHOT_ACCEPT} is set, this provider sets it to {@code false} before
 * Netty's io_uring classes initialise, which lets the reactor's accept back-off work; if multishot
 * accept is on anyway, the reactor's report says so and a warning is logged.
 */
public final class IoUringReactorProvider implements ReactorProvider {
  /** Netty's system property for multishot accept, read once when its io_uring classes load. */
  public static final String MULTISHOT_ACCEPT = "io.netty.iouring.acceptMultiShotEnabled";

  private static final System.Logger LOG = System.getLogger(IoUringReactorProvider.class.getName());

  private static final NettyTransport IO_URING =
      new NettyTransport(
              IoUringIoHandler::newFactory,
              IoUringServerSocketChannel.class,
              IoUringSocketChannel.class,
              IoUringChannelOption.SO_REUSEPORT)
          .withDatagrams(IoUringDatagramChannel.class)
          .withDomainSockets(
              IoUringServerDomainSocketChannel.class, IoUringDomainSocketChannel.class);

  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public IoUringReactorProvider() {}

  @Override
  public String name() {
    return "io_uring";
  }

  /** Returns 0 everywhere: io_uring is used only when forced by name. */
  @Override
  public int priority(Platform platform) {
    return 0;
  }

  @Override
  public Availability availability() {
    Platform here = Platform.current();
    if (here.os() != Platform.Os.LINUX) {
      return Availability.unavailable("io_uring exists on Linux only, not on " + here, null);
    }
    preferSingleShotAccept();
    try {
      if (IoUring.isAvailable()) {
        return Availability.AVAILABLE;
      }
      Throwable cause = IoUring.unavailabilityCause();
      String classifier =
          here.arch().toLowerCase(Locale.ROOT).contains("aarch64")
              ? "linux-aarch_64"
              : "linux-x86_64";
      return Availability.unavailable(
          "Netty's io_uring cannot run here ("
              + cause
              + "); it needs Linux 5.14 or later with io_uring"
              + " allowed (not blocked by seccomp or sysctl kernel.io_uring_disabled) and"
              + " io.netty:netty-transport-native-io_uring:"
              + classifier
              + " on the class path",
          cause);
    } catch (LinkageError error) {
      return Availability.unavailable("Netty's io_uring classes did not load: " + error, error);
    }
  }

  @Override
  public Network open(ReactorOptions options) {
    preferSingleShotAccept();
    String accept;
    if (IoUring.isAcceptMultishotEnabled()) {
      String warning =
          "io_uring multishot accept is enabled: when the process runs out of file descriptors,"
              + " Netty re-arms accept in a busy loop that the reactor cannot stop; start the JVM with -D"
              + MULTISHOT_ACCEPT
              + "=false";
      LOG.log(System.Logger.Level.WARNING, warning);
      accept = "accept: multishot (" + warning + ")";
    } else {
      accept = "accept: single-shot, with back-off when out of file descriptors";
    }
    return IO_URING.open(options, accept);
  }

  private static void preferSingleShotAccept() {
    if (System.getProperty(MULTISHOT_ACCEPT) == null) {
      System.setProperty(MULTISHOT_ACCEPT, "false");
    }
  }
}
