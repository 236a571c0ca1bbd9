package io.torsion.protocols.policies;

import static org.assertj.core.api.Assertions.assertThat;

import io.torsion.BackgroundReactor;
import io.torsion.Factory;
import io.torsion.Protocol;
import io.torsion.Reactor;
import io.torsion.ReactorOptions;
import io.torsion.testing.kit.TlsFixtures;
import io.torsion.tls.TlsServerOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A PROXY header in plaintext and then TLS, as a balancer passing TLS through sends it, on a real
 * socket: the protocol is built after the handshake, for the client the header names, and hears the
 * decrypted bytes that came in the same segments as the header and the handshake.
 */
@Timeout(60)
class ProxyProtocolOnASocketTest {
  /** Answers each line with who the transport says the peer is and the TLS version. */
  static final class WhoAmI extends Protocol {
    @Override
    public void connectionMade() {
      transport()
          .write(
              ByteBuffer.wrap(
                  ("peer="
                          + transport().getPeer()
                          + " tls="
                          + (transport().tls() == null ? "none" : transport().tls().protocol())
                          + "\n")
                      .getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void dataReceived(ByteBuffer data) {
      transport().write(data); // echo
    }
  }

  @Test
  void theHeaderIsReadInPlaintextThenTheConnectionSpeaksTls() throws Exception {
    TlsServerOptions tls = TlsServerOptions.builder(TlsFixtures.SERVER.identity()).build();
    try (BackgroundReactor background =
        BackgroundReactor.start(Reactor.create(ReactorOptions.defaults()))) {
      Reactor reactor = background.reactor();
      ProxyProtocol proxied = ProxyProtocol.builder(reactor).required().trust("127.0.0.1").build();
      int port =
          background.call(
              () ->
                  reactor
                      .listenTCP(0, "127.0.0.1", proxied.wrap(Factory.of(WhoAmI::new), tls))
                      .port());
      SSLContext context = TlsFixtures.jdkContext(null);
      try (Socket plain = new Socket("127.0.0.1", port)) {
        OutputStream out = plain.getOutputStream();
        out.write(
            "PROXY TCP4 198.51.100.9 127.0.0.1 41234 443\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        try (SSLSocket secure =
            (SSLSocket) context.getSocketFactory().createSocket(plain, "localhost", port, false)) {
          secure.startHandshake();
          BufferedReader in =
              new BufferedReader(
                  new InputStreamReader(secure.getInputStream(), StandardCharsets.UTF_8));
          assertThat(in.readLine())
              .isEqualTo("peer=" + new InetSocketAddress("198.51.100.9", 41234) + " tls=TLSv1.3");
          secure.getOutputStream().write("through\n".getBytes(StandardCharsets.UTF_8));
          assertThat(in.readLine()).isEqualTo("through");
        }
      }
    }
  }
}
