/**
 * Echo (RFC 862) and Discard (RFC 863), and an echo client whose replies are Deferreds. Builds on
 * the core API only.
 */
module io.torsion.protocols.echo {
  requires transitive io.torsion;

  exports io.torsion.protocols.echo;
}
