package io.torsion.protocols.policies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.torsion.BackgroundReactor;
import io.torsion.Factory;
import io.torsion.Protocol;
import io.torsion.Reactor;
import io.torsion.ReactorOptions;
import io.torsion.endpoints.EndpointPort;
import io.torsion.endpoints.EndpointSyntaxError;
import io.torsion.endpoints.Endpoints;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The {@code haproxy:} endpoint prefix, found as a service: Twisted's, with a trust list. */
@Timeout(60)
class ProxyProtocolEndpointsTest {
  /** Says who the transport thinks the peer is. */
  static final class WhoAmI extends Protocol {
    @Override
    public void connectionMade() {
      transport()
          .write(
              ByteBuffer.wrap(
                  ("peer=" + transport().getPeer() + "\n").getBytes(StandardCharsets.US_ASCII)));
    }
  }

  private static String firstLine(int port, String sent) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(20_000);
      if (sent != null) {
        socket.getOutputStream().write(sent.getBytes(StandardCharsets.US_ASCII));
      }
      try {
        return new BufferedReader(
                new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
            .readLine();
      } catch (java.net.SocketException reset) {
        return null; // closed with what we sent unread: the kernel resets the connection
      }
    }
  }

  @Test
  void haproxyWrapsTheEndpointAfterIt() throws Exception {
    try (BackgroundReactor background =
        BackgroundReactor.start(Reactor.create(ReactorOptions.defaults()))) {
      Reactor reactor = background.reactor();
      EndpointPort required =
          background.call(
              () ->
                  Endpoints.server(reactor, "haproxy:tcp:0:interface=127.0.0.1")
                      .listen(Factory.of(WhoAmI::new)));
      int port = ((InetSocketAddress) required.address()).getPort();
      assertThat(required.describe()).isEqualTo("127.0.0.1:" + port);
      assertThat(firstLine(port, "PROXY TCP4 203.0.113.5 127.0.0.1 7777 80\r\n"))
          .isEqualTo("peer=" + new InetSocketAddress("203.0.113.5", 7777));
      assertThat(firstLine(port, "GET / HTTP/1.1\r\n")).isNull(); // required: closed

      EndpointPort optional =
          background.call(
              () ->
                  Endpoints.server(
                          reactor,
                          "haproxy:tcp:0:interface=127.0.0.1:proxyMode=optional:proxyTrust=127.0.0.1")
                      .listen(Factory.of(WhoAmI::new)));
      int open = ((InetSocketAddress) optional.address()).getPort();
      assertThat(firstLine(open, "x")).startsWith("peer=/127.0.0.1:"); // no header: its own
      EndpointPort elsewhere =
          background.call(
              () ->
                  Endpoints.server(
                          reactor, "haproxy:tcp:0:interface=127.0.0.1:proxyTrust=10.0.0.0/8")
                      .listen(Factory.of(WhoAmI::new)));
      int refused = ((InetSocketAddress) elsewhere.address()).getPort();
      assertThat(firstLine(refused, "PROXY TCP4 203.0.113.5 127.0.0.1 7777 80\r\n")).isNull();
    }
  }

  @Test
  void badStringsSayWhatIsWrong() {
    try (BackgroundReactor background =
        BackgroundReactor.start(Reactor.create(ReactorOptions.defaults()))) {
      Reactor reactor = background.reactor();
      assertThatThrownBy(() -> background.call(() -> Endpoints.server(reactor, "haproxy:")))
          .isInstanceOf(EndpointSyntaxError.class)
          .hasMessageContaining("names the endpoint to listen on");
      assertThatThrownBy(
              () ->
                  background.call(
                      () ->
                          Endpoints.server(reactor, "haproxy:tls:8443:certificate=c:privateKey=k")))
          .isInstanceOf(EndpointSyntaxError.class)
          .hasMessageContaining("comes before the TLS handshake");
      assertThatThrownBy(
              () ->
                  background.call(() -> Endpoints.server(reactor, "haproxy:tcp:0:proxyMode=maybe")))
          .isInstanceOf(EndpointSyntaxError.class)
          .hasMessageContaining("not 'maybe'");
      assertThatThrownBy(
              () ->
                  background.call(
                      () -> Endpoints.server(reactor, "haproxy:tcp:0:proxyTrust=10.0.0.0/99")))
          .isInstanceOf(EndpointSyntaxError.class)
          .hasMessageContaining("proxyTrust");
      assertThatThrownBy(
              () -> background.call(() -> Endpoints.server(reactor, "haproxy:tcp:0:bogus=1")))
          .isInstanceOf(EndpointSyntaxError.class)
          .hasMessageContaining("bogus");
    }
  }
}
