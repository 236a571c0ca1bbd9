package io.torsion.architecture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The scale-out recipe, {@code examples/scale-out/run.sh}, run as a user runs it: HAProxy, two demo
 * processes from the fat jar with the PROXY protocol, Redis; load through HAProxy while one demo
 * process is drained and restarted. No request may fail, the drained process must exit cleanly, and
 * a WATCH on one process must hear a SET made through the other.
 */
class ScaleOutRecipeTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path SCRIPT = ROOT.resolve("examples/scale-out/run.sh");
  private static final Path JAR = ROOT.resolve("examples/target/torsion-demo.jar");

  @Test
  @Timeout(180)
  void loadThroughHaproxyLosesNoRequestWhileAProcessDrainsAndRestarts() throws Exception {
    List<String> missing = new ArrayList<>();
    for (String tool : List.of("/usr/sbin/haproxy", "/usr/bin/redis-server", "/usr/bin/wrk")) {
      if (!Files.isExecutable(Path.of(tool))) {
        missing.add(tool);
      }
    }
    if (!missing.isEmpty() && System.getenv("CI") != null) {
      throw new IllegalStateException(
          "CI installs haproxy, redis-server and wrk; missing: " + missing);
    }
    assumeTrue(
        missing.isEmpty(),
        "not installed: " + missing + " (apt-get install haproxy redis-server wrk)");
    assumeTrue(
        Files.isRegularFile(JAR), "the demo jar is built by `package`; this run stopped before it");
    Path log = Files.createTempFile("scale-out", ".log");
    Process run =
        new ProcessBuilder("bash", SCRIPT.toString(), "--seconds", "6", "--jar", JAR.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    assertThat(run.waitFor(150, TimeUnit.SECONDS)).as("the script ends").isTrue();
    String output = Files.readString(log, StandardCharsets.UTF_8);
    List<String> lines = output.lines().toList();
    String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    Matcher result =
        Pattern.compile(
                "scale-out: requests=(\\d+) failed=(\\d+) drained=(\\d+) cross_process_watch=(\\w+)")
            .matcher(last);
    assertThat(result.matches()).as(output).isTrue();
    assertThat(Long.parseLong(result.group(1))).as(output).isPositive();
    assertThat(result.group(2)).as("failed requests\n" + output).isEqualTo("0");
    assertThat(result.group(3)).as("drained processes\n" + output).isEqualTo("1");
    assertThat(result.group(4)).as(output).isEqualTo("ok");
    assertThat(run.exitValue()).as(output).isZero();
  }
}
