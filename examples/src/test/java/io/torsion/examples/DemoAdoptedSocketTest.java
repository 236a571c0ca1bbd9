package io.torsion.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The demo started as systemd's socket activation starts a service: a small launcher binds the
 * socket, puts it at fd 3 with LISTEN_PID, LISTEN_FDS and LISTEN_FDNAMES set, and execs the demo,
 * which serves on it through a {@code systemd:} endpoint string and names the address it turned out
 * to have.
 */
class DemoAdoptedSocketTest {
  private static final Path PYTHON = Path.of("/usr/bin/python3");

  private static Process launch(String kind, List<String> launcherArgs, String... demoArgs)
      throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(PYTHON), "no /usr/bin/python3 for the launcher");
    Path launcher =
        Path.of(DemoAdoptedSocketTest.class.getResource("/systemd_launcher.py").toURI());
    List<String> command = new ArrayList<>(List.of(PYTHON.toString(), launcher.toString(), kind));
    command.addAll(launcherArgs);
    command.add("--");
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "-Dtorsion.reactor=epoll",
            "-cp",
            System.getProperty("java.class.path"),
            "io.torsion.examples.Demo",
            "--echo-port",
            "0",
            "--udp-port",
            "0",
            "--line-port",
            "0",
            "--http-port",
            "0"));
    command.addAll(List.of(demoArgs));
    return new ProcessBuilder(command)
        .redirectError(
            ProcessBuilder.Redirect.appendTo(Path.of("target", "adopted-demo.log").toFile()))
        .start();
  }

  @Test
  void servesHttpOnTheTcpSocketSystemdPassedIn() throws Exception {
    Process demo =
        launch("inet", List.of("http"), "--http-endpoint", "systemd:domain=INET:name=http");
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8));
      String bound = out.readLine();
      assertThat(bound).startsWith("bound 127.0.0.1:");
      String address = bound.substring("bound ".length());
      String banner = out.readLine();
      assertThat(banner).as("the demo's start line").contains(" http=" + address + " ");
      HttpResponse<String> answer =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://" + address + "/plaintext")).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(answer.body()).isEqualTo("Hello, World!");
    } finally {
      demo.destroy();
      assertThat(demo.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(demo.exitValue()).as("SIGTERM stops it cleanly").isZero();
  }

  @Test
  void servesTheLineProtocolOnAUnixSocketSystemdPassedIn() throws Exception {
    Path socket = Files.createTempDirectory("torsion-systemd").resolve("line.sock");
    Process demo =
        launch(
            "unix",
            List.of("line", socket.toString()),
            "--line-endpoint",
            "systemd:domain=UNIX:index=0");
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8));
      assertThat(out.readLine()).isEqualTo("bound " + socket);
      assertThat(out.readLine()).contains(" line=unix:" + socket + " ");
      try (SocketChannel line = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
        BufferedReader lines =
            new BufferedReader(
                new InputStreamReader(Channels.newInputStream(line), StandardCharsets.UTF_8));
        assertThat(lines.readLine()).startsWith("WELCOME");
      }
    } finally {
      demo.destroy();
      assertThat(demo.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(socket).as("the socket file is its maker's: it stays").exists();
  }

  @ParameterizedTest
  @ValueSource(strings = {"nio", "epoll"})
  void aSocketHandedOverOnFdZeroIsAdoptedInetdStyle(String transport) throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(PYTHON), "no /usr/bin/python3 for the launcher");
    Path launcher =
        Path.of(DemoAdoptedSocketTest.class.getResource("/systemd_launcher.py").toURI());
    Process server =
        new ProcessBuilder(
                PYTHON.toString(),
                launcher.toString(),
                "inetd",
                "echo",
                "--",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dtorsion.reactor=" + transport,
                "-cp",
                System.getProperty("java.class.path"),
                "io.torsion.examples.AdoptFdZero")
            .redirectError(
                ProcessBuilder.Redirect.appendTo(Path.of("target", "adopted-fd0.log").toFile()))
            .start();
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      String bound = out.readLine();
      assertThat(bound).startsWith("bound 127.0.0.1:");
      String address = bound.substring("bound ".length());
      assertThat(out.readLine()).isEqualTo("adopted " + address);
      int port = Integer.parseInt(address.substring(address.indexOf(':') + 1));
      try (Socket client = new Socket("127.0.0.1", port)) {
        client.getOutputStream().write("inetd".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(client.getInputStream().readNBytes(5), StandardCharsets.UTF_8))
            .isEqualTo("inetd");
      }
    } finally {
      server.destroy();
      assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
  }
}
