package io.torsion.internal;

import io.torsion.Factory;

/**
 * Where connections come from: their reactor and the factory that builds their protocols. One per
 * listening port (shared by its connections) or per connection attempt, so that a connection holds
 * one reference for both.
 */
record Origin(DefaultReactor reactor, Factory<?> factory) {}
