package io.torsion.protocols.websocket;

/** The framing suite against the server side of a connection: the test is the client. */
class ServerRoleConformanceTest extends FramingConformance {
  @Override
  boolean client() {
    return false;
  }
}
