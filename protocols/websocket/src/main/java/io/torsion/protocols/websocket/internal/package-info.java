/**
 * The WebSocket module's machinery, not for users: frame parsing and encoding, UTF-8 validation,
 * {@code permessage-deflate}, the opening handshake's rules.
 */
package io.torsion.protocols.websocket.internal;
