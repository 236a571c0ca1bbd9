package io.torsion.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import io.torsion.Reactor;
import io.torsion.testing.kit.Peer;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application on the module path, as a user of modules runs one: only Torsion's, Netty's and
 * JNA's modules on {@code -p}, no {@code --add-modules}. The core finds the transports as services,
 * and the demo runs on the transport it would choose from the class path.
 */
@Timeout(120)
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "stops the demo with SIGTERM")
class ModulePathTest {
  private static final Set<String> TEST_ONLY =
      Set.of("io.torsion.testing", "io.torsion.testing.kit");

  @Test
  void theDemoRunsOnTheModulePathWithTheTransportItWouldChooseOnTheClassPath(@TempDir Path logs)
      throws Exception {
    String modulePath = modulePath();
    assertThat(modulePath)
        .contains("io" + File.separator + "netty"); // the jars, not only Torsion's classes
    String expected;
    Reactor here = Reactor.create();
    try {
      expected = here.report().transport();
    } finally {
      here.stop();
    }
    Path stderr = logs.resolve("stderr.txt");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process demo =
        new ProcessBuilder(
                java,
                "-p",
                modulePath,
                "-m",
                "io.torsion.examples/io.torsion.examples.Demo",
                "--echo-port",
                "0",
                "--line-port",
                "0",
                "--http-port",
                "0")
            .redirectError(stderr.toFile())
            .start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8));
      String banner = out.readLine();
      Matcher started =
          Pattern.compile("torsion-demo: reactor=(\\S+) chosen=auto echo=127\\.0\\.0\\.1:(\\d+) .*")
              .matcher(String.valueOf(banner));
      assertThat(started.matches())
          .as("banner %s; stderr: %s", banner, Files.readString(stderr))
          .isTrue();
      assertThat(started.group(1)).isEqualTo(expected);
      try (Peer peer = Peer.connect(Integer.parseInt(started.group(2)))) {
        peer.write("on the module path");
        assertThat(peer.readUtf8(18)).isEqualTo("on the module path");
      }
      demo.destroy();
      assertThat(demo.waitFor(30, TimeUnit.SECONDS)).as("the demo exited").isTrue();
      assertThat(demo.exitValue()).isZero();
      assertThat(Files.readString(stderr))
          .doesNotContain("failed to load")
          .doesNotContain("cannot run");
    } finally {
      demo.destroyForcibly();
    }
  }

  /** Torsion's modules (but the test-only ones), Netty's and JNA's, from this test's class path. */
  private static String modulePath() {
    List<String> entries = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path path = Path.of(entry);
      if (!Files.exists(path)) {
        continue;
      }
      Set<ModuleReference> found;
      try {
        found = ModuleFinder.of(path).findAll();
      } catch (RuntimeException notAModule) {
        continue;
      }
      Set<String> names =
          found.stream().map(m -> m.descriptor().name()).collect(Collectors.toSet());
      if (names.size() == 1) {
        String name = names.iterator().next();
        if ((name.startsWith("io.torsion") && !TEST_ONLY.contains(name))
            || name.startsWith("io.netty")
            || name.equals("com.sun.jna")) {
          entries.add(entry);
        }
      }
    }
    return String.join(File.pathSeparator, entries);
  }
}
