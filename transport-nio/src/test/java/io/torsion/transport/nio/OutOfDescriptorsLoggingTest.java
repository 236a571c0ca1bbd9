package io.torsion.transport.nio;

import static org.assertj.core.api.Assertions.assertThat;

import io.torsion.Reactor;
import io.torsion.posix.FileDescriptorLimit;
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
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A process that runs out of file descriptors after making a reactor can still log and tell the
 * time: what the JDK would read from its own files on first use (the time-zone rules a log line's
 * time stamp needs) was read when the reactor was made. Run in a JVM of its own, because a JVM that
 * has logged once already has them.
 */
class OutOfDescriptorsLoggingTest {

  @Test
  void aReactorsProcessLogsAndTellsTheTimeAfterItsDescriptorsRunOut() throws Exception {
    Assumptions.assumeTrue(
        FileDescriptorLimit.read().isPresent(), "RLIMIT_NOFILE cannot be changed on this platform");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child =
        new ProcessBuilder(
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

  /**
   * Makes a reactor (which raises the soft descriptor limit), lowers the limit to a little above
   * what is open, fills every descriptor, then logs and reads a zoned time.
   */
  static final class OutOfDescriptorsMain {
    public static void main(String[] args) throws Exception {
      // only warnings reach the console, so nothing logged before the descriptors run out
      java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
      Reactor reactor = Reactor.create();
      FileDescriptorLimit.setSoftLimit(FileDescriptorLimit.openDescriptors() + 64L);
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
