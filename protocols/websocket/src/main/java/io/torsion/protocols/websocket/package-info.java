/**
 * WebSocket (RFC 6455) with {@code permessage-deflate} (RFC 7692): {@link
 * io.torsion.protocols.websocket.WebSocketServer} upgrades from an HTTP route, {@link
 * io.torsion.protocols.websocket.WebSocketClient} connects to {@code ws://} and {@code wss://}, and
 * both run a {@link io.torsion.protocols.websocket.WebSocketProtocol}.
 */
package io.torsion.protocols.websocket;
