package io.torsion.protocols.policies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.torsion.BackgroundReactor;
import io.torsion.Factory;
import io.torsion.Protocol;
import io.torsion.Reactor;
import io.torsion.ReactorOptions;
import io.torsion.testing.Haproxy;
import io.torsion.testing.kit.TlsFixtures;
import io.torsion.tls.SelfSignedCertificate;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * PROXY headers as a real HAProxy sends them: v1 ({@code send-proxy}) and v2 ({@code
 * send-proxy-v2}) name the client's real address and port; v2 after HAProxy terminated TLS carries
 * the SNI as the authority TLV and the SSL TLV; HAProxy's health checks ({@code check-send-proxy})
 * send v2's LOCAL command, which a required listener accepts.
 */
@Timeout(60)
class ProxyProtocolHaproxyTest {
  private BackgroundReactor background;
  private int server;
  private static final java.util.concurrent.atomic.AtomicInteger LOCALS =
      new java.util.concurrent.atomic.AtomicInteger();

  /** Tells the client who the transport says it is, and what the header carried. */
  static final class WhoAmI extends Protocol {
    @Override
    public void connectionMade() {
      ProxyProtocol.Header header = ProxyProtocol.header(transport());
      if (header != null && header.source() == null) {
        LOCALS.incrementAndGet(); // v2's LOCAL: a health check of the balancer's own
      }
      String line =
          "peer="
              + ((InetSocketAddress) transport().getPeer()).getPort()
              + " version="
              + (header == null ? "none" : header.version())
              + " authority="
              + (header == null ? null : header.authority())
              + " ssl="
              + (header != null && header.tlvs().containsKey(0x20))
              + "\n";
      transport().write(ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII)));
    }
  }

  @BeforeEach
  void start() {
    String missing = Haproxy.requirePresent();
    assumeTrue(missing == null, missing);
    background = BackgroundReactor.start(Reactor.create(ReactorOptions.defaults()));
    Reactor reactor = background.reactor();
    ProxyProtocol proxied = ProxyProtocol.builder(reactor).required().trust("127.0.0.1").build();
    server =
        background.call(
            () -> reactor.listenTCP(0, "127.0.0.1", proxied.wrap(Factory.of(WhoAmI::new))).port());
  }

  @AfterEach
  void stop() {
    if (background != null) {
      background.close();
    }
  }

  private static String firstLine(Socket socket) throws Exception {
    socket.setSoTimeout(20_000);
    return new BufferedReader(
            new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
        .readLine();
  }

  private String tcpProxy(int front, String send) {
    return "frontend f\n  mode tcp\n  bind 127.0.0.1:"
        + front
        + "\n  default_backend b\nbackend b\n  mode tcp\n  server s 127.0.0.1:"
        + server
        + " "
        + send
        + "\n";
  }

  @Test
  void v1AndV2NameTheClientsRealPort() throws Exception {
    for (String send : List.of("send-proxy", "send-proxy-v2")) {
      int front = Haproxy.freePort();
      try (Haproxy haproxy = Haproxy.start(front, tcpProxy(front, send));
          Socket client = new Socket("127.0.0.1", front)) {
        String expected =
            "peer=" + client.getLocalPort() + " version=" + (send.endsWith("v2") ? 2 : 1);
        assertThat(firstLine(client)).as(haproxy.log()).startsWith(expected);
      }
    }
  }

  @Test
  void v2AfterHaproxyEndedTlsCarriesTheSniAsTheAuthority(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    SelfSignedCertificate certificate =
        TlsFixtures.SERVER; // the client trusts it; SNI need not match
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    certificate.writePem(cert, key);
    Path combined = dir.resolve("combined.pem");
    Files.writeString(combined, Files.readString(cert) + Files.readString(key));
    int front = Haproxy.freePort();
    String sections =
        "frontend f\n  mode tcp\n  bind 127.0.0.1:"
            + front
            + " ssl crt "
            + combined
            + "\n  default_backend b\nbackend b\n  mode tcp\n  server s 127.0.0.1:"
            + server
            + " send-proxy-v2 proxy-v2-options ssl,authority\n";
    SSLContext context = TlsFixtures.jdkContext(null);
    try (Haproxy haproxy = Haproxy.start(front, sections);
        SSLSocket client =
            (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", front)) {
      SSLParameters parameters = client.getSSLParameters();
      parameters.setServerNames(List.of(new SNIHostName("demo.example")));
      client.setSSLParameters(parameters);
      client.startHandshake();
      assertThat(firstLine(client))
          .as(haproxy.log())
          .isEqualTo(
              "peer=" + client.getLocalPort() + " version=2 authority=demo.example ssl=true");
    }
  }

  @Test
  void haproxysHealthChecksSendLocalAndARequiredListenerAcceptsThem() throws Exception {
    int front = Haproxy.freePort();
    String sections =
        tcpProxy(front, "send-proxy-v2 check check-send-proxy inter 100ms rise 1 fall 1");
    LOCALS.set(0);
    try (Haproxy haproxy = Haproxy.start(front, sections)) {
      // Wait for two checks (one every 100 ms): each is a connection with v2's LOCAL command.
      while (LOCALS.get() < 2) {
        background.call(() -> null); // a turn of the reactor; the test's timeout bounds this
      }
      for (int i = 0; i < 3; i++) {
        try (Socket client = new Socket("127.0.0.1", front)) {
          assertThat(firstLine(client))
              .as(haproxy.log())
              .startsWith("peer=" + client.getLocalPort());
        }
      }
      assertThat(haproxy.log()).doesNotContain("is DOWN");
    }
  }
}
