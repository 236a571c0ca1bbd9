package io.torsion.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The demo's fat jar, as users run it with {@code java -jar} (built by {@code package}). */
class DemoJarTest {
  private static final Path JAR =
      Path.of("..").toAbsolutePath().normalize().resolve("examples/target/torsion-demo.jar");

  @Test
  void allowsNativeAccessSoThatJdk24AndLaterPrintNoWarning() throws Exception {
    Assumptions.assumeTrue(
        Files.isRegularFile(JAR), "the demo jar is built by `package`; this run stopped before it");
    try (JarFile jar = new JarFile(JAR.toFile())) {
      Attributes main = jar.getManifest().getMainAttributes();
      assertThat(main.getValue("Main-Class")).isEqualTo("io.torsion.examples.Demo");
      assertThat(main.getValue("Enable-Native-Access")).isEqualTo("ALL-UNNAMED");
      assertThat(jar.getEntry("META-INF/services/io.torsion.spi.ReactorProvider"))
          .as("the transports' service files, merged")
          .isNotNull();
      assertThat(jar.getEntry("module-info.class"))
          .as("no module descriptor in a fat jar")
          .isNull();
    }
  }
}
