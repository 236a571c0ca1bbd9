package io.torsion.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.torsion.testing.kit.Peer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The demo as a process: SIGTERM drains in-flight work, then exits with status 0. */
@Timeout(120)
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "SIGTERM is a POSIX signal")
class DemoShutdownTest {
  @Test
  void sigtermAnswersEveryRequestInFlightThenExitsWithZero() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process demo =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "io.torsion.examples.Demo",
                "--echo-port",
                "0",
                "--line-port",
                "0",
                "--http-port",
                "0",
                "--udp-port",
                "0")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8));
      String banner = out.readLine();
      Matcher ports =
          Pattern.compile(".* line=127\\.0\\.0\\.1:(\\d+) http=127\\.0\\.0\\.1:(\\d+) udp=.*")
              .matcher(banner);
      assertThat(ports.matches()).as(banner).isTrue();
      int http = Integer.parseInt(ports.group(2));
      List<Peer> inFlight = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        Peer peer = Peer.connect(http);
        peer.write("GET /delay?ms=3000 HTTP/1.1\r\nHost: t\r\n\r\n");
        inFlight.add(peer);
      }
      Peer idle = Peer.connect(http);
      idle.write("GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n");
      String first = new String(idle.read(17), StandardCharsets.US_ASCII);
      assertThat(first)
          .isEqualTo("HTTP/1.1 200 OK\r\n"); // the reactor has read everything sent before this
      demo.destroy(); // SIGTERM
      for (Peer peer : inFlight) {
        String answer = new String(peer.readToEnd(), StandardCharsets.UTF_8);
        assertThat(answer)
            .startsWith("HTTP/1.1 200 OK")
            .contains("Connection: close")
            .endsWith("waited 3000 ms\n");
        peer.close();
      }
      idle.drainUntilClosed(); // the idle keep-alive connection is closed by the drain
      idle.close();
      assertThat(demo.waitFor(30, TimeUnit.SECONDS)).as("the demo exited").isTrue();
      assertThat(demo.exitValue()).as("exit status after SIGTERM").isZero();
    } finally {
      demo.destroyForcibly();
    }
  }
}
