package io.torsion.transport.netty.internal;

import io.netty.channel.ConnectTimeoutException;
import io.torsion.ConnectError;
import io.torsion.ConnectTimeoutError;
import io.torsion.ConnectionRefusedError;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Locale;

/** Maps what Netty reports for a failed connect to Torsion's {@link ConnectError} family. */
final class ConnectErrors {
  private ConnectErrors() {}

  static ConnectError map(Throwable cause, String destination, Duration timeout) {
    if (cause instanceof ConnectError error) {
      return error;
    }
    if (cause instanceof ConnectTimeoutException) {
      return new ConnectTimeoutError(
          "connection to " + destination + " timed out after " + timeout.toMillis() + " ms", cause);
    }
    String message = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
    if (cause instanceof ConnectException && message.contains("refused")) {
      return new ConnectionRefusedError("connection to " + destination + " refused", cause);
    }
    return new ConnectError("could not connect to " + destination + ": " + cause, cause);
  }
}
