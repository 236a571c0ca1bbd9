/**
 * A Redis client in the manner of Twisted's txredisapi: commands return Deferreds, pipelined on one
 * connection, pub/sub on a second, reconnecting with back-off. Builds on the core API only.
 */
module io.torsion.protocols.redis {
  requires transitive io.torsion;

  exports io.torsion.protocols.redis;
}
