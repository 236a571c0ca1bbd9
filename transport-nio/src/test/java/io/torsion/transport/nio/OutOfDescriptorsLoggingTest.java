package io.torsion.transport.nio;

import static org.assertj.core.api.Assertions.assertThat;

import io.torsion.Reactor;
import java.io.FileInputStream;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * A process that runs out of file descriptors after making a reactor can still log and tell the
 * time: what the JDK would read from its own files on first use (the time-zone rules a log line's
 * time stamp needs) was read when the reactor was made. Run in a JVM of its own, under a low
 * descriptor limit, because a JVM that has logged once already has them.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class OutOfDescriptorsLoggingTest {

  @Test
  void aReactorsProcessLogsAndTellsTheTimeAfterItsDescriptorsRunOut() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child =
        new ProcessBuilder(
                "bash",
                "-c",
                "ulimit -n 512 && exec \"$@\"",
                "bash",
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                OutOfDescriptorsMain.class.getName())
            .redirectErrorStream(true)
            .start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(output)
        .contains("out of descriptors after")
        .contains("logged while out of descriptors")
        .contains("zone: Europe/Paris")
        .doesNotContain("Could not initialize")
        .doesNotContain("ZoneRulesException");
    assertThat(child.exitValue()).as(output).isZero();
  }

  /** Makes a reactor, then fills every descriptor, then logs and reads a zoned time. */
  static final class OutOfDescriptorsMain {
    public static void main(String[] args) throws Exception {
      // only warnings reach the console, so nothing logged before the descriptors run out
      java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
      Reactor reactor = Reactor.create();
      List<FileInputStream> filling = new ArrayList<>();
      try {
        while (true) {
          filling.add(new FileInputStream("/dev/null"));
        }
      } catch (IOException full) {
        System.out.println("out of descriptors after " + filling.size() + ": " + full.getMessage());
      }
      try {
        System.getLogger("torsion.test").log(Level.WARNING, "logged while out of descriptors");
        System.out.println("zone: " + ZonedDateTime.now(ZoneId.of("Europe/Paris")).getZone());
      } finally {
        for (FileInputStream stream : filling) {
          stream.close();
        }
      }
      reactor.stop();
    }
  }
}
