package io.torsion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class FailureTest {
  @Test
  void checkReturnsTheFirstMatchingTypeOrNull() {
    Failure failure = Failure.of(new ConnectionRefusedError("refused", null));
    assertThat(failure.check(DNSLookupError.class, ConnectError.class))
        .isEqualTo(ConnectError.class);
    assertThat(failure.check(DNSLookupError.class)).isNull();
  }

  @Test
  void trapRethrowsTheOriginalErrorWhenNothingMatches() {
    IOException original = new IOException("disk");
    Failure failure = Failure.of(original);
    assertThat(failure.trap(IOException.class)).isEqualTo(IOException.class);
    assertThatThrownBy(() -> failure.trap(IllegalStateException.class)).isSameAs(original);
  }

  @Test
  void messageNamesTheErrorType() {
    assertThat(Failure.of(new IOException("gone")).message())
        .isEqualTo("java.io.IOException: gone");
    assertThat(Failure.of(new IOException()).toString()).isEqualTo("Failure[java.io.IOException]");
  }
}
