package io.torsion.endpoints;

import io.torsion.Deferred;
import io.torsion.Factory;
import io.torsion.Protocol;

/** Where and how a client connects, chosen by a string ({@link Endpoints#client}). */
public interface ClientEndpoint {
  /** Connects; fires with the protocol {@code factory} built once connected, or fails. */
  <P extends Protocol> Deferred<P> connect(Factory<P> factory);
}
