package io.torsion.endpoints;

import io.torsion.Reactor;

/**
 * Endpoint strings of one prefix ({@code tcp}, {@code unix}, {@code tls} are built in): a module
 * adds its own by providing this service ({@code provides io.torsion.endpoints.EndpointParser with
 * ...}, or a {@code META-INF/services} file on the class path). A built-in prefix cannot be taken
 * over.
 */
public interface EndpointParser {
  /** Returns the prefix this parser reads, in lower case. */
  String prefix();

  /** Returns the server endpoint {@code arguments} describe; calls {@code arguments.done()}. */
  default ServerEndpoint server(Reactor reactor, EndpointArguments arguments) {
    throw arguments.error(prefix() + ": has no server endpoints");
  }

  /** Returns the client endpoint {@code arguments} describe; calls {@code arguments.done()}. */
  default ClientEndpoint client(Reactor reactor, EndpointArguments arguments) {
    throw arguments.error(prefix() + ": has no client endpoints");
  }
}
