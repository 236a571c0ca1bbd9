package io.torsion.transport.netty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ConnectTimeoutException;
import io.torsion.ConnectError;
import io.torsion.ConnectTimeoutError;
import io.torsion.ConnectionRefusedError;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConnectErrorsTest {
  private static final Duration TIMEOUT = Duration.ofMillis(1500);

  @Test
  void nettyTimeoutsBecomeConnectTimeoutErrorsNamingTheDestinationAndTimeout() {
    ConnectError error =
        ConnectErrors.map(
            new ConnectTimeoutException("connection timed out"), "10.0.0.1:80", TIMEOUT);
    assertThat(error)
        .isInstanceOf(ConnectTimeoutError.class)
        .hasMessage("connection to 10.0.0.1:80 timed out after 1500 ms");
  }

  @Test
  void refusalsBecomeConnectionRefusedErrors() {
    ConnectError error =
        ConnectErrors.map(
            new ConnectException("Connection refused: /127.0.0.1:1"), "127.0.0.1:1", TIMEOUT);
    assertThat(error)
        .isInstanceOf(ConnectionRefusedError.class)
        .hasMessage("connection to 127.0.0.1:1 refused");
  }

  @Test
  void anythingElseIsAPlainConnectErrorCarryingTheCause() {
    IOException cause = new IOException("Network is unreachable");
    ConnectError error = ConnectErrors.map(cause, "example:80", TIMEOUT);
    assertThat(error.getClass()).isEqualTo(ConnectError.class);
    assertThat(error)
        .hasCause(cause)
        .hasMessageContaining("example:80")
        .hasMessageContaining("unreachable");
  }
}
