package io.torsion.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.torsion.testing.kit.Peer;
import io.torsion.tls.TrustRoots;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

class DemoTest {
  @Test
  void parsesEveryFlagAndRejectsNonsense() {
    Demo.Options options =
        Demo.Options.parse(
            "--host", "::1", "--echo-port", "0", "--line-port", "9001", "--http-port", "9080");
    assertThat(options.host()).isEqualTo("::1");
    assertThat(options.echoPort()).isZero();
    assertThat(options.linePort()).isEqualTo(9001);
    assertThat(options.httpPort()).isEqualTo(9080);
    assertThat(Demo.Options.parse().httpPort()).isEqualTo(8080);
    assertThat(Demo.Options.parse().echoPort()).isEqualTo(8000);
    assertThat(Demo.Options.parse().linePort()).isEqualTo(8001);
    assertThatThrownBy(() -> Demo.Options.parse("--echo-port", "70000"))
        .hasMessageContaining("out of range: 70000");
    assertThatThrownBy(() -> Demo.Options.parse("--echo-port", "x"))
        .hasMessageContaining("not a number: x");
    assertThatThrownBy(() -> Demo.Options.parse("--bogus"))
        .hasMessageContaining("unknown option: --bogus");
  }

  @Test
  void helpListsTheFlags() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code =
        Demo.run(
            new String[] {"--help"},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            System.err);
    assertThat(code).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("--echo-port", "--line-port", "--host", "--help", "torsion.reactor");
  }

  @Test
  void badArgumentsExitWithTwo() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Demo.run(
            new String[] {"--nope"},
            System.out,
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown option: --nope", "usage:");
  }

  @Test
  void servesEchoAndPrintsTheScriptableBanner() throws Exception {
    try (RunningDemo running =
        RunningDemo.start(
            new ArrayList<>(), "--echo-port", "0", "--line-port", "0", "--http-port", "0")) {
      Demo demo = running.demo();
      Matcher banner =
          Pattern.compile(
                  "torsion-demo: reactor=(\\w+) chosen=(auto|forced) echo=127\\.0\\.0\\.1:(\\d+) line=127\\.0\\.0\\.1:(\\d+) http=127\\.0\\.0\\.1:(\\d+) udp=127\\.0\\.0\\.1:(\\d+)")
              .matcher(demo.banner());
      assertThat(banner.matches()).as(demo.banner()).isTrue();
      try (Peer peer = Peer.connect(Integer.parseInt(banner.group(3)))) {
        peer.write("hello");
        assertThat(peer.readUtf8(5)).isEqualTo("hello");
      }
      try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
        udp.setSoTimeout(30_000);
        byte[] ping = "datagram".getBytes(StandardCharsets.UTF_8);
        udp.send(
            new DatagramPacket(
                ping,
                ping.length,
                new InetSocketAddress("127.0.0.1", Integer.parseInt(banner.group(6)))));
        DatagramPacket echoed = new DatagramPacket(new byte[100], 100);
        udp.receive(echoed);
        assertThat(new String(echoed.getData(), 0, echoed.getLength(), StandardCharsets.UTF_8))
            .isEqualTo("datagram");
      }
      try (Peer peer = Peer.connect(Integer.parseInt(banner.group(4)))) {
        BufferedReader lines =
            new BufferedReader(
                new InputStreamReader(peer.socket().getInputStream(), StandardCharsets.UTF_8));
        assertThat(lines.readLine()).startsWith("WELCOME");
        peer.write("ECHO hi there\r\nbogus\r\nSTATS\r\nQUIT\r\n");
        assertThat(lines.readLine()).isEqualTo("hi there");
        assertThat(lines.readLine()).startsWith("ERROR unknown command BOGUS");
        assertThat(lines.readLine()).startsWith("connections=1 commands=3");
        assertThat(lines.readLine()).isEqualTo("BYE");
        assertThat(lines.readLine()).isNull();
      }
      var client = HttpClient.newHttpClient();
      var response =
          client.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + banner.group(5) + "/plaintext"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.body()).isEqualTo("Hello, World!");
    }
  }

  @Test
  void listensWhereItsEndpointStringsSay() throws Exception {
    Path dir = Files.createTempDirectory("torsion-demo-endpoints");
    Path socket = dir.resolve("line.sock");
    try (RunningDemo running =
        RunningDemo.start(
            new ArrayList<>(),
            "--echo-port",
            "0",
            "--line-endpoint",
            "unix:" + socket + ":mode=600",
            "--http-endpoint",
            "tcp:0:interface=127.0.0.1")) {
      String banner = running.demo().banner();
      assertThat(banner).contains(" line=unix:" + socket.toAbsolutePath() + " ");
      assertThat(banner).matches(".* http=127\\.0\\.0\\.1:\\d+ .*");
      try (SocketChannel line = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
        BufferedReader lines =
            new BufferedReader(
                new InputStreamReader(Channels.newInputStream(line), StandardCharsets.UTF_8));
        assertThat(lines.readLine()).startsWith("WELCOME");
        line.write(ByteBuffer.wrap("SET via unix\r\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(lines.readLine()).isEqualTo("OK");
      }
      var response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + running.port("http") + "/kv/via"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(response.body()).isEqualTo("unix\n");
    }
    assertThat(socket).as("the socket file goes with the demo").doesNotExist();
  }

  @Test
  void aBadEndpointStringExitsWithTwoAndSaysWhatIsWrong() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Demo.run(
            new String[] {"--echo-endpoint", "tcp:80x"},
            System.out,
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("bad endpoint 'tcp:80x': port '80x' is not a number");
  }

  @Test
  void servesHttpsWithTheCertificateItMadeAndUpgradesTheLinePortWithStartTls() throws Exception {
    List<String> notices = new ArrayList<>();
    try (RunningDemo running =
        RunningDemo.start(
            notices,
            "--echo-port",
            "0",
            "--line-port",
            "0",
            "--http-port",
            "0",
            "--https-port",
            "0")) {
      Demo demo = running.demo();
      Matcher banner =
          Pattern.compile(
                  "torsion-demo: .* line=127\\.0\\.0\\.1:(\\d+) http=127\\.0\\.0\\.1:(\\d+) udp=\\S+ https=127\\.0\\.0\\.1:(\\d+)")
              .matcher(demo.banner());
      assertThat(banner.matches()).as(demo.banner()).isTrue();
      assertThat(notices).hasSize(1);
      Matcher file = Pattern.compile(".* at (\\S+) \\(trust it.*").matcher(notices.get(0));
      assertThat(file.matches()).as(notices.get(0)).isTrue();
      TrustRoots.fromPem(Path.of(file.group(1))); // it parses
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      try (var in = Files.newInputStream(Path.of(file.group(1)))) {
        trust.setCertificateEntry(
            "demo", CertificateFactory.getInstance("X.509").generateCertificate(in));
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      var client = HttpClient.newBuilder().sslContext(context).build();
      var response =
          client.send(
              HttpRequest.newBuilder(
                      URI.create("https://localhost:" + banner.group(3) + "/plaintext"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.body()).isEqualTo("Hello, World!");
      try (Peer peer = Peer.connect(Integer.parseInt(banner.group(1)))) {
        var in = peer.socket().getInputStream();
        assertThat(readLine(in)).startsWith("WELCOME").endsWith("STARTTLS");
        peer.write("STARTTLS\r\n");
        assertThat(readLine(in)).isEqualTo("OK begin TLS");
        SSLSocket tls =
            (SSLSocket)
                context
                    .getSocketFactory()
                    .createSocket(peer.socket(), "localhost", peer.socket().getPort(), true);
        tls.startHandshake();
        tls.getOutputStream().write("ECHO secret\r\nQUIT\r\n".getBytes(StandardCharsets.UTF_8));
        BufferedReader lines =
            new BufferedReader(new InputStreamReader(tls.getInputStream(), StandardCharsets.UTF_8));
        assertThat(lines.readLine()).isEqualTo("secret");
        assertThat(lines.readLine()).isEqualTo("BYE");
      }
    }
  }

  /** Reads one CRLF line byte by byte, so that nothing after it is buffered away from TLS. */
  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
      if (b != '\r') {
        line.append((char) b);
      }
    }
    return line.toString();
  }
}
