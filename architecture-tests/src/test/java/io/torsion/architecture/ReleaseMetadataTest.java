package io.torsion.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What Maven Central requires of every published artifact: a name, a description, a URL, a license,
 * developers and SCM (inherited from the parent, or the BOM's own), and a LICENSE file.
 */
class ReleaseMetadataTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern MANAGED =
      Pattern.compile("<artifactId>(torsion-[a-z-]+)</artifactId>");

  @Test
  void theLicenseIsApache2() throws IOException {
    assertThat(Files.readString(ROOT.resolve("LICENSE")))
        .contains("Apache License")
        .contains("Version 2.0");
  }

  @Test
  void everyArtifactOfTheBomHasTheMetadataCentralRequires() throws IOException {
    Map<String, Path> poms = new HashMap<>();
    try (Stream<Path> files = Files.walk(ROOT)) {
      for (Path pom :
          files
              .filter(p -> p.getFileName().toString().equals("pom.xml"))
              .filter(
                  p -> !p.toString().contains("/target/") && !p.toString().contains("bom-consumer"))
              .toList()) {
        Matcher own =
            Pattern.compile(
                    "</parent>\\s*<artifactId>([^<]+)</artifactId>|^\\s*<artifactId>(torsion-bom)</artifactId>",
                    Pattern.MULTILINE)
                .matcher(Files.readString(pom));
        if (own.find()) {
          poms.put(own.group(1) != null ? own.group(1) : own.group(2), pom);
        }
      }
    }
    String bom = Files.readString(ROOT.resolve("bom/pom.xml"));
    List<String> published =
        MANAGED.matcher(bom).results().map(m -> m.group(1)).distinct().toList();
    assertThat(published)
        .contains("torsion-core", "torsion-testing", "torsion-transport-kit", "torsion-posix");
    for (String artifact : published) {
      Path pom = poms.get(artifact);
      assertThat(pom).as("the pom of %s", artifact).isNotNull();
      String text = Files.readString(pom);
      assertThat(text)
          .as(artifact)
          .containsPattern("<name>[^<]+</name>")
          .containsPattern("<description>[^<]+</description>");
    }
    for (String pom : List.of("pom.xml", "bom/pom.xml")) {
      assertThat(Files.readString(ROOT.resolve(pom)))
          .as(pom)
          .contains(
              "<url>",
              "<licenses>",
              "Apache License, Version 2.0",
              "<developers>",
              "<scm>",
              "<connection>");
    }
  }
}
