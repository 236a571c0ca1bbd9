/**
 * An HTTP/1.1 server on the core API: routing, streamed bodies both ways, static files. Builds on
 * the core API only.
 */
module io.torsion.protocols.http {
  requires transitive io.torsion;

  exports io.torsion.protocols.http;
}
