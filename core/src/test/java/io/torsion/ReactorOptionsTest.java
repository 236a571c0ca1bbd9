package io.torsion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReactorOptionsTest {
  @Test
  void defaultsMatchTheDocumentedTable() {
    ReactorOptions defaults = ReactorOptions.defaults();
    assertThat(defaults.transport()).isNull();
    assertThat(defaults.connectTimeout())
        .isEqualTo(Duration.ofSeconds(ReactorOptions.DEFAULT_CONNECT_TIMEOUT_SECONDS));
    assertThat(defaults.shutdownTimeout())
        .isEqualTo(Duration.ofSeconds(ReactorOptions.DEFAULT_SHUTDOWN_TIMEOUT_SECONDS));
    assertThat(defaults.writeBufferLimit()).isEqualTo(16L * 1024 * 1024);
    assertThat(defaults.readsFollowWrites()).isTrue();
    assertThat(defaults.installSignalHandlers()).isTrue();
    assertThat(defaults.socketReceiveBuffer()).isZero();
    assertThat(defaults.socketSendBuffer()).isZero();
  }

  @Test
  void theDefaultOutputBudgetIsAQuarterOfTheJvmsMemoryLimit() {
    long heap = Runtime.getRuntime().maxMemory();
    boolean directSet =
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .anyMatch(argument -> argument.startsWith("-XX:MaxDirectMemorySize="));
    long budget = ReactorOptions.defaults().outputBudget();
    assertThat(budget)
        .isEqualTo(ReactorOptions.defaultOutputBudget())
        .isGreaterThanOrEqualTo(ReactorOptions.MIN_DEFAULT_OUTPUT_BUDGET);
    if (!directSet) {
      assertThat(budget).isEqualTo(Math.max(ReactorOptions.MIN_DEFAULT_OUTPUT_BUDGET, heap / 4));
    }
    assertThat(ReactorOptions.builder().outputBudget(1234).build().outputBudget()).isEqualTo(1234);
  }

  @Test
  void builderRoundTripsThroughToBuilder() {
    ReactorOptions options =
        ReactorOptions.builder().transport("nio").connectTimeout(Duration.ofSeconds(3)).build();
    assertThat(options.toBuilder().build().toString()).isEqualTo(options.toString());
  }

  @Test
  void invalidValuesAreRejectedWithTheirName() {
    assertThatThrownBy(() -> ReactorOptions.builder().connectTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("connectTimeout");
    assertThatThrownBy(() -> ReactorOptions.builder().shutdownTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shutdownTimeout");
    assertThatThrownBy(() -> ReactorOptions.builder().transport(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("blank");
    assertThatThrownBy(() -> ReactorOptions.builder().outputBudget(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("outputBudget");
    assertThatThrownBy(() -> ReactorOptions.builder().socketBuffers(-1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("socket buffers");
  }
}
