package io.torsion.transport.windows;

import static org.assertj.core.api.Assertions.assertThat;

import io.torsion.spi.Platform;
import org.junit.jupiter.api.Test;

class IocpReactorProviderTest {
  private final IocpReactorProvider provider = new IocpReactorProvider();

  @Test
  void outranksNioOnWindowsOnlyAndRunsEverywhere() {
    assertThat(provider.priority(new Platform("Windows Server 2022", "amd64")))
        .isEqualTo(IocpReactorProvider.PRIORITY);
    assertThat(provider.priority(new Platform("Linux", "amd64"))).isZero();
    assertThat(provider.priority(new Platform("Mac OS X", "aarch64"))).isZero();
    assertThat(provider.availability().available()).isTrue();
  }

  @Test
  void saysWhenItIsTheJdksEmulationRatherThanCompletionPorts() {
    boolean windows = Platform.current().os() == Platform.Os.WINDOWS;
    String status = provider.availability().describe();
    if (windows) {
      assertThat(status).isEqualTo("available");
    } else {
      assertThat(status).startsWith("available, emulated").contains("Windows only");
    }
  }
}
