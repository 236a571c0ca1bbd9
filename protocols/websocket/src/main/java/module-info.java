/**
 * WebSocket (RFC 6455) on the core API, with {@code permessage-deflate} (RFC 7692): a server that
 * upgrades from an HTTP route, and a client for {@code ws://} and {@code wss://}.
 */
module io.torsion.protocols.websocket {
  requires transitive io.torsion;
  requires transitive io.torsion.protocols.http;

  exports io.torsion.protocols.websocket;
}
