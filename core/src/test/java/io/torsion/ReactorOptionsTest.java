package io.torsion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReactorOptionsTest {
  @Test
  void defaultsMatchTheDocumentedTable() {
    ReactorOptions defaults = ReactorOptions.defaults();
    assertThat(defaults.transport()).isNull();
    assertThat(defaults.connectTimeout()).isEqualTo(Duration.ofSeconds(ReactorOptions.DEFAULT_CONNECT_TIMEOUT_SECONDS));
    assertThat(defaults.shutdownTimeout()).isEqualTo(Duration.ofSeconds(ReactorOptions.DEFAULT_SHUTDOWN_TIMEOUT_SECONDS));
  }

  @Test
  void builderRoundTripsThroughToBuilder() {
    ReactorOptions options = ReactorOptions.builder().transport("nio").connectTimeout(Duration.ofSeconds(3)).build();
    assertThat(options.toBuilder().build().toString()).isEqualTo(options.toString());
  }

  @Test
  void invalidValuesAreRejectedWithTheirName() {
    assertThatThrownBy(() -> ReactorOptions.builder().connectTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("connectTimeout");
    assertThatThrownBy(() -> ReactorOptions.builder().shutdownTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shutdownTimeout");
    assertThatThrownBy(() -> ReactorOptions.builder().transport(" "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blank");
  }
}
