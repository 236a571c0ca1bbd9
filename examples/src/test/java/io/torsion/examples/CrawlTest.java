package io.torsion.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.torsion.BackgroundReactor;
import io.torsion.Reactor;
import io.torsion.protocols.http.client.HttpClient;
import io.torsion.protocols.http.client.HttpClientOptions;
import io.torsion.testing.Nginx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crawler against a generated site of 300 linked pages served by nginx, with a redirect, a
 * missing page, a slow page, fragments, duplicates and a link to another site: every page is
 * fetched exactly once (nginx's access log says so) over a few reused connections.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CrawlTest {
  private static final int PAGES = 300;
  private static final Pattern REQUEST = Pattern.compile("\"GET (\\S+) HTTP/1.1\" (\\d+)");

  @TempDir Path dir;
  private Path site;

  @BeforeEach
  void generateSite() throws IOException {
    Assumptions.assumeTrue(
        Nginx.installed(), "nginx is not installed (apt-get install nginx-light)");
    site = Files.createDirectories(dir.resolve("site"));
    for (int i = 0; i < PAGES; i++) {
      StringBuilder page = new StringBuilder("<html><body><h1>page " + i + "</h1>\n");
      for (int child : new int[] {2 * i + 1, 2 * i + 2}) {
        if (child < PAGES) {
          page.append("<a href=\"").append(name(child)).append("\">child</a>\n");
        }
      }
      page.append("<a href='/index.html#top'>home</a>\n"); // a fragment, and a duplicate
      page.append("<A HREF=\"./").append(name((i * 7) % PAGES)).append("\">jump</A>\n");
      page.append("<a href=\"http://other.invalid/\">elsewhere</a>\n");
      if (i == 10) {
        page.append("<a href=\"/old\">moved</a> <a href=\"/missing.html\">gone</a>\n");
        page.append("<a href=\"/slow.html\">slow</a>\n");
      }
      page.append("</body></html>\n");
      Files.writeString(site.resolve(name(i)), page.toString());
    }
    Files.writeString(site.resolve("slow.html"), "<p>" + "s".repeat(12 * 1024) + "</p>");
  }

  private static String name(int page) {
    return page == 0 ? "index.html" : "page-" + page + ".html";
  }

  private Nginx nginx() throws IOException {
    return Nginx.start(
        site,
        "access_log "
            + dir.resolve("access.log")
            + ";\n"
            + "location = /old { return 301 /page-7.html; }\n"
            + "location = /slow.html { limit_rate 12k; }\n"
            + "location = / { return 301 /index.html; }");
  }

  @Test
  void everyPageIsFetchedExactlyOnceOverReusedConnections() throws Exception {
    Crawl.Summary summary;
    try (Nginx nginx = nginx();
        BackgroundReactor background = BackgroundReactor.start(Reactor.create())) {
      HttpClient client =
          background.call(
              () ->
                  HttpClient.create(
                      background.reactor(),
                      HttpClientOptions.builder().maxConnectionsPerHost(4).build()));
      CompletableFuture<Crawl.Summary> done =
          background.call(
              () ->
                  Crawl.crawl(
                          background.reactor(),
                          client,
                          URI.create("http://127.0.0.1:" + nginx.port() + "/"),
                          10_000,
                          4)
                      .toCompletableFuture());
      summary = done.get(60, TimeUnit.SECONDS);
    }
    // 300 pages, "/" (a redirect to /index.html), /old (a redirect), /missing.html, /slow.html
    assertThat(summary.pages()).isEqualTo(PAGES + 4);
    assertThat(summary.errors()).isZero();
    assertThat(summary.statuses())
        .containsExactly(Map.entry(200, PAGES + 1), Map.entry(301, 2), Map.entry(404, 1));
    assertThat(summary.connections()).as("connections reused").isBetween(1L, 4L);
    assertThat(summary.line())
        .matches(
            "crawl: pages=304 bytes=\\d+ errors=0 statuses=200:301,301:2,404:1 seconds=\\d+\\.\\d\\d");
    List<String> fetched = fetchedPaths();
    Map<String, Long> counts =
        fetched.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    assertThat(counts.values()).as("no page fetched twice: %s", counts).allMatch(n -> n == 1);
    assertThat(counts).hasSize(PAGES + 4).containsKeys("/", "/index.html", "/page-299.html");
  }

  @Test
  void mainPrintsASummaryEndingInOneLineAScriptCanRead() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream saved = System.out;
    try (Nginx nginx = nginx()) {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      Crawl.main(
          new String[] {
            "http://127.0.0.1:" + nginx.port() + "/index.html",
            "--max-pages",
            "50",
            "--concurrency",
            "2"
          });
    } finally {
      System.setOut(saved);
    }
    String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
    assertThat(lines[0]).isEqualTo("pages: 50");
    assertThat(lines[lines.length - 1])
        .matches("crawl: pages=50 bytes=\\d+ errors=0 statuses=200:\\d+(,\\d+:\\d+)* seconds=\\S+");
  }

  private List<String> fetchedPaths() throws IOException {
    return Files.readAllLines(dir.resolve("access.log")).stream()
        .map(REQUEST::matcher)
        .filter(Matcher::find)
        .map(m -> m.group(1))
        .toList();
  }
}
