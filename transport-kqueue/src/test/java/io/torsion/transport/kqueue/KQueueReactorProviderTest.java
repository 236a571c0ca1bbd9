package io.torsion.transport.kqueue;

import static org.assertj.core.api.Assertions.assertThat;

import io.torsion.spi.Availability;
import io.torsion.spi.Platform;
import org.junit.jupiter.api.Test;

class KQueueReactorProviderTest {
  private final KQueueReactorProvider provider = new KQueueReactorProvider();

  @Test
  void outranksNioOnMacAndBsdOnly() {
    assertThat(provider.priority(new Platform("Mac OS X", "aarch64")))
        .isEqualTo(KQueueReactorProvider.PRIORITY);
    assertThat(provider.priority(new Platform("FreeBSD", "amd64")))
        .isEqualTo(KQueueReactorProvider.PRIORITY);
    assertThat(provider.priority(new Platform("Linux", "amd64"))).isZero();
    assertThat(provider.priority(new Platform("Windows 11", "amd64"))).isZero();
  }

  @Test
  void reportsWhyItCannotRunInsteadOfThrowing() {
    Availability availability = provider.availability();
    Platform.Os os = Platform.current().os();
    if (os != Platform.Os.MACOS && os != Platform.Os.BSD) {
      assertThat(availability.available()).isFalse();
      assertThat(availability.reason()).contains("macOS and BSD only");
    } else {
      assertThat(
              availability.available()
                  || availability.reason().contains("netty-transport-native-kqueue"))
          .isTrue();
    }
  }
}
