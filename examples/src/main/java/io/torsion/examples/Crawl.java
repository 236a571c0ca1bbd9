package io.torsion.examples;

import io.torsion.Deferred;
import io.torsion.Reactor;
import io.torsion.protocols.http.client.ClientRequest;
import io.torsion.protocols.http.client.ClientResponse;
import io.torsion.protocols.http.client.HttpClient;
import io.torsion.protocols.http.client.HttpClientOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A web crawler, the kind of program Twisted is for: fetches the start page, follows the links of
 * HTML pages on the same host breadth-first, fetches each page once with at most {@code
 * --concurrency} requests in flight over the client's keep-alive pool, and prints a summary whose
 * last line a script can read. A redirect is a page too: its {@code Location} is followed like a
 * link, so the status counts show it.
 *
 * <pre>
 * java -cp examples/target/torsion-demo.jar io.torsion.examples.Crawl http://127.0.0.1:8080/ --max-pages 500 --concurrency 8
 * ...
 * crawl: pages=312 bytes=1843200 errors=0 statuses=200:310,301:1,404:1 seconds=0.41
 * </pre>
 */
public final class Crawl {
  private static final Pattern HREF =
      Pattern.compile(
          "<a\\s[^>]*?href\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)'|([^\\s>]+))",
          Pattern.CASE_INSENSITIVE);

  private final HttpClient client;
  private final URI start;
  private final int maxPages;
  private final int concurrency;
  private final Reactor reactor;
  private final ArrayDeque<URI> queue = new ArrayDeque<>();
  private final Set<String> seen = new HashSet<>();
  private final Map<Integer, Integer> statuses = new TreeMap<>();
  private final Deferred<Summary> done = new Deferred<>();
  private int inFlight;
  private int pages;
  private long bytes;
  private int errors;
  private final long startNanos;

  /**
   * What a crawl found.
   *
   * @param pages the pages fetched (every status, errors excluded)
   * @param bytes the body bytes received
   * @param errors the requests that failed (no response)
   * @param statuses how many responses had each status
   * @param seconds how long the crawl took
   * @param connections how many connections the client opened
   */
  record Summary(
      int pages,
      long bytes,
      int errors,
      Map<Integer, Integer> statuses,
      double seconds,
      long connections) {
    /** Returns the line a script can read, e.g. {@code crawl: pages=3 bytes=120 ...}. */
    String line() {
      return String.format(
          java.util.Locale.ROOT,
          "crawl: pages=%d bytes=%d errors=%d statuses=%s seconds=%.2f",
          pages,
          bytes,
          errors,
          statuses.entrySet().stream()
              .map(e -> e.getKey() + ":" + e.getValue())
              .collect(Collectors.joining(",")),
          seconds);
    }
  }

  private Crawl(Reactor reactor, HttpClient client, URI start, int maxPages, int concurrency) {
    this.reactor = reactor;
    this.client = client;
    this.start = start;
    this.maxPages = maxPages;
    this.concurrency = concurrency;
    this.startNanos = reactor.nanoTime();
  }

  /**
   * Crawls from {@code start} with {@code client}; the Deferred fires when no page is left or
   * {@code maxPages} were fetched. Call on the reactor thread.
   */
  static Deferred<Summary> crawl(
      Reactor reactor, HttpClient client, URI start, int maxPages, int concurrency) {
    if (maxPages < 1 || concurrency < 1) {
      throw new IllegalArgumentException("maxPages and concurrency must be at least 1");
    }
    Crawl crawl = new Crawl(reactor, client, start.normalize(), maxPages, concurrency);
    crawl.enqueue(crawl.start);
    crawl.next();
    return crawl.done;
  }

  private void enqueue(URI page) {
    if (seen.size() < maxPages && seen.add(key(page))) {
      queue.add(page);
    }
  }

  /** Returns the page's identity: scheme, host, port, path (at least "/") and query. */
  private static String key(URI page) {
    String path =
        page.getRawPath() == null || page.getRawPath().isEmpty() ? "/" : page.getRawPath();
    return page.getScheme().toLowerCase(java.util.Locale.ROOT)
        + "://"
        + page.getHost().toLowerCase(java.util.Locale.ROOT)
        + ":"
        + port(page)
        + path
        + (page.getRawQuery() == null ? "" : "?" + page.getRawQuery());
  }

  private static int port(URI page) {
    return page.getPort() >= 0
        ? page.getPort()
        : page.getScheme().equalsIgnoreCase("https") ? 443 : 80;
  }

  /** Starts requests while there is room, or finishes when nothing is left. */
  private void next() {
    while (inFlight < concurrency && !queue.isEmpty()) {
      URI page = queue.poll();
      inFlight++;
      client
          .request(ClientRequest.builder("GET", page).build())
          .addCallbacks(
              response -> {
                fetched(page, response);
                return null;
              },
              failure -> {
                errors++;
                return null;
              })
          .addFinally(
              () -> {
                inFlight--;
                next();
              });
    }
    if (inFlight == 0 && queue.isEmpty() && !done.called()) {
      double seconds = (reactor.nanoTime() - startNanos) / 1e9;
      done.callback(
          new Summary(
              pages,
              bytes,
              errors,
              Collections.unmodifiableMap(new TreeMap<>(statuses)),
              seconds,
              client.connectionsOpened()));
    }
  }

  private void fetched(URI page, ClientResponse response) {
    pages++;
    bytes += response.body().length;
    statuses.merge(response.status(), 1, Integer::sum);
    String location = response.headers().get("Location");
    if (response.status() / 100 == 3 && location != null) {
      follow(page, location);
    }
    String type = response.headers().get("Content-Type");
    if (response.status() == 200 && type != null && type.startsWith("text/html")) {
      Matcher links = HREF.matcher(response.bodyText());
      while (links.find()) {
        String href =
            links.group(1) != null
                ? links.group(1)
                : links.group(2) != null ? links.group(2) : links.group(3);
        follow(page, href);
      }
    }
  }

  /** Queues the page {@code href} names, if it is on the start page's host and not seen yet. */
  private void follow(URI from, String href) {
    URI target;
    try {
      target = from.resolve(new URI(href.strip().replace(" ", "%20")));
    } catch (URISyntaxException | IllegalArgumentException notALink) {
      return;
    }
    if (target.getScheme() == null
        || !target.getScheme().equalsIgnoreCase(start.getScheme())
        || target.getHost() == null
        || !target.getHost().equalsIgnoreCase(start.getHost())
        || port(target) != port(start)) {
      return; // another site
    }
    String text = target.normalize().toString();
    int fragment = text.indexOf('#');
    enqueue(URI.create(fragment < 0 ? text : text.substring(0, fragment)));
  }

  /** Crawls {@code args[0]}; {@code --max-pages N} (default 1000), {@code --concurrency C} (8). */
  public static void main(String[] args) {
    if (args.length == 0 || args[0].startsWith("-")) {
      System.out.println("usage: Crawl URL [--max-pages N] [--concurrency C]");
      System.exit(2);
    }
    int maxPages = 1000;
    int concurrency = 8;
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--max-pages" -> maxPages = Integer.parseInt(args[++i]);
        case "--concurrency" -> concurrency = Integer.parseInt(args[++i]);
        default -> {
          System.out.println("unknown option " + args[i]);
          System.exit(2);
        }
      }
    }
    Reactor reactor = Reactor.create();
    HttpClient client =
        HttpClient.create(
            reactor, HttpClientOptions.builder().maxConnectionsPerHost(concurrency).build());
    int pagesAtMost = maxPages;
    int inFlightAtMost = concurrency;
    reactor.callLater(
        java.time.Duration.ZERO,
        () ->
            crawl(reactor, client, URI.create(args[0]), pagesAtMost, inFlightAtMost)
                .addCallbackDeferred(
                    summary -> {
                      System.out.printf(
                          java.util.Locale.ROOT,
                          "pages: %d%nbytes: %d%nerrors: %d%nstatuses: %s%nconnections: %d%n"
                              + "seconds: %.2f%npages per second: %.0f%n",
                          summary.pages(),
                          summary.bytes(),
                          summary.errors(),
                          summary.statuses(),
                          summary.connections(),
                          summary.seconds(),
                          summary.pages() / Math.max(summary.seconds(), 1e-9));
                      System.out.println(summary.line());
                      return client.close();
                    })
                .addFinally(reactor::stop));
    reactor.run();
  }
}
