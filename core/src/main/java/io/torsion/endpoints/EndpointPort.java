package io.torsion.endpoints;

import io.torsion.Deferred;
import io.torsion.ListeningPort;
import io.torsion.UnixPort;
import java.net.SocketAddress;

/** A port an endpoint listens on, whatever its kind. */
public interface EndpointPort {
  /** Returns the address bound: an {@code InetSocketAddress} with the real port, or a UNIX one. */
  SocketAddress address();

  /**
   * Returns the address for people: {@code 127.0.0.1:8080}, {@code [::1]:8080}, {@code
   * unix:/run/app.sock}.
   */
  String describe();

  /** Stops listening; fires once the socket is closed. Called on the reactor thread. */
  Deferred<Void> stopListening();

  /** Returns {@code port} as an endpoint's port (for a port listened on without a string). */
  static EndpointPort of(ListeningPort port) {
    return BuiltInEndpoints.inet(port);
  }

  /** Returns {@code port} as an endpoint's port. */
  static EndpointPort of(UnixPort port) {
    return BuiltInEndpoints.unix(port);
  }
}
