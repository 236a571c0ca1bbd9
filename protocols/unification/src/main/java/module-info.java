/**
 * Port unification: several protocols on one port, chosen by each connection's first bytes. Builds
 * on the core API only.
 */
module io.torsion.protocols.unification {
  requires transitive io.torsion;

  exports io.torsion.protocols.unification;
}
