package io.torsion.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every Java example in the README and {@code docs/} is compiled by the build: each {@code java}
 * block follows a {@code <!-- from: path -->} line naming a source file of the build, and its lines
 * appear there, in order and together (leading whitespace aside). An example edited in the docs but
 * not in the code, or the other way round, fails this test.
 */
class DocsTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern BLOCK =
      Pattern.compile("<!-- from: (\\S+) -->\\s*\\n```java\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern ANY_JAVA = Pattern.compile("```java\\n");

  private static List<Path> documents() throws IOException {
    List<Path> documents = new ArrayList<>();
    documents.add(ROOT.resolve("README.md"));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(path -> path.toString().endsWith(".md")).sorted().forEach(documents::add);
    }
    return documents;
  }

  private static List<String> stripped(String text) {
    return text.lines().map(String::strip).toList();
  }

  @Test
  void everyJavaExampleInTheDocsIsCompiledCode() throws IOException {
    int checked = 0;
    for (Path document : documents()) {
      String text = Files.readString(document);
      long blocks = ANY_JAVA.matcher(text).results().count();
      Matcher matcher = BLOCK.matcher(text);
      int sourced = 0;
      while (matcher.find()) {
        sourced++;
        Path source = ROOT.resolve(matcher.group(1));
        assertThat(source)
            .as("%s names %s", document.getFileName(), matcher.group(1))
            .isRegularFile();
        assertThat(matcher.group(1))
            .as("a source the build compiles")
            .contains("/src/")
            .endsWith(".java");
        List<String> code = stripped(Files.readString(source));
        List<String> example = stripped(matcher.group(2));
        assertThat(Collections.indexOfSubList(code, example))
            .as(
                "%s: the example from %s appears there as written:%n%s",
                document.getFileName(), matcher.group(1), matcher.group(2))
            .isNotNegative();
        checked++;
      }
      assertThat(sourced)
          .as("%s: every java block names its source", document.getFileName())
          .isEqualTo(blocks);
    }
    assertThat(checked).as("examples checked").isGreaterThan(10);
  }
}
