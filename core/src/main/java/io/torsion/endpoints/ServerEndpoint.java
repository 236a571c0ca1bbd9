package io.torsion.endpoints;

import io.torsion.CannotListenError;
import io.torsion.Factory;

/** Where and how a server listens, chosen by a string ({@link Endpoints#server}). */
public interface ServerEndpoint {
  /**
   * Listens with protocols built by {@code factory}; bound when this returns. Called on the main
   * reactor thread.
   */
  EndpointPort listen(Factory<?> factory) throws CannotListenError;
}
