/**
 * Framing protocols after Twisted's {@code basic}: lines, netstrings and length-prefixed strings.
 * Builds on the core API only.
 */
module io.torsion.protocols.line {
  requires transitive io.torsion;

  exports io.torsion.protocols.line;
}
