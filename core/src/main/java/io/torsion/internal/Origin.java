package io.torsion.internal;

import io.torsion.Deferred;
import io.torsion.Factory;
import io.torsion.Protocol;

/**
 * Where connections come from: their reactor, the factory that builds their protocols and, for a
 * client connection, the Deferred that fires with its protocol once connected. One per listening
 * port (shared by its connections, {@code connected} null) or per connection attempt, so that a
 * connection holds one reference for all three.
 */
record Origin(DefaultReactor reactor, Factory<?> factory, Deferred<Protocol> connected) {}
