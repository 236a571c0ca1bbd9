package io.torsion.tls;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The argument checks both sides' options builders share. */
final class TlsChecks {
  private TlsChecks() {}

  /** Returns ALPN protocol names, each of 1 to 255 bytes. */
  static List<String> applicationProtocols(String... names) {
    List<String> list = new ArrayList<>();
    for (String name : names) {
      if (Objects.requireNonNull(name, "name").isEmpty() || name.length() > 255) {
        throw new IllegalArgumentException("an ALPN protocol name has 1 to 255 bytes: " + name);
      }
      list.add(name);
    }
    return List.copyOf(list);
  }

  /** Returns protocol versions, at least one. */
  static List<String> protocols(String... versions) {
    if (versions.length == 0) {
      throw new IllegalArgumentException("at least one protocol version");
    }
    return List.of(versions);
  }

  /** Returns {@code timeout}, which must be positive. */
  static Duration handshakeTimeout(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("handshake timeout must be positive: " + timeout);
    }
    return timeout;
  }
}
