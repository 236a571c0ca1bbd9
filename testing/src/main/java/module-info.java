/**
 * Test doubles for protocol code: the in-memory transport, StringTransport, ConnectedPair and
 * Clock.
 */
module io.torsion.testing {
  requires transitive io.torsion;

  exports io.torsion.testing;
}
