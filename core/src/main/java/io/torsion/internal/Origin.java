package io.torsion.internal;

import io.torsion.Deferred;
import io.torsion.Factory;
import io.torsion.Protocol;
import io.torsion.tls.TlsOptions;

/**
 * Where connections come from: their reactor, the factory that builds their protocols and, for a
 * client connection, the Deferred that fires with its protocol once connected. One per listening
 * port (shared by its connections, {@code connected} null) or per connection attempt, so that a
 * connection holds one reference for all of them. With {@code tls}, connections speak TLS from the
 * start ({@code peerName}: the host a client was asked to connect to, which it verifies).
 */
record Origin(
    DefaultReactor reactor,
    Factory<?> factory,
    Deferred<Protocol> connected,
    TlsOptions tls,
    String peerName) {
  Origin(DefaultReactor reactor, Factory<?> factory, Deferred<Protocol> connected) {
    this(reactor, factory, connected, null, null);
  }
}
