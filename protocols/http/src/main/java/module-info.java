/**
 * HTTP/1.1 on the core API: a server (routing, streamed bodies both ways, static files) and a
 * client (pooled, Deferred-based). Builds on the core API only.
 */
module io.torsion.protocols.http {
  requires transitive io.torsion;

  exports io.torsion.protocols.http;
  exports io.torsion.protocols.http.client;
}
