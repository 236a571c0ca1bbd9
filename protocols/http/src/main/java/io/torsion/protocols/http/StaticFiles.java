package io.torsion.protocols.http;

import io.torsion.Deferred;
import io.torsion.ReactorThreads;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Serves the files under a directory: {@code Content-Type} by extension, {@code ETag} and {@code
 * Last-Modified} with their conditional requests (304), single byte ranges (206, or 416 when
 * unsatisfiable), {@code HEAD}. No path leaves the root: {@code ..}, encoded or not, and symbolic
 * links out of it answer 404. File I/O runs on the reactor's worker pool, never on the reactor
 * thread.
 *
 * <pre>{@code
 * StaticFiles files = StaticFiles.serve(Path.of("public"), "/static/", reactor);
 * reactor.listenTCP(8080, HttpServer.create(reactor, files));
 * }</pre>
 *
 * <p>Files are read whole into memory, up to {@value #MAX_FILE_SIZE} bytes (larger ones answer 413
 * unless a range asks for less) until responses can stream.
 */
public final class StaticFiles implements HttpHandler {
  /** The largest file (or range) served; bodies do not stream yet. */
  public static final long MAX_FILE_SIZE = 64L * 1024 * 1024;

  private static final Map<String, String> TYPES = Map.ofEntries(
      Map.entry("html", "text/html; charset=utf-8"), Map.entry("htm", "text/html; charset=utf-8"),
      Map.entry("css", "text/css; charset=utf-8"), Map.entry("js", "text/javascript; charset=utf-8"),
      Map.entry("json", "application/json"), Map.entry("txt", "text/plain; charset=utf-8"),
      Map.entry("xml", "application/xml"), Map.entry("svg", "image/svg+xml"), Map.entry("png", "image/png"),
      Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"), Map.entry("gif", "image/gif"),
      Map.entry("webp", "image/webp"), Map.entry("ico", "image/x-icon"), Map.entry("wasm", "application/wasm"),
      Map.entry("pdf", "application/pdf"), Map.entry("woff2", "font/woff2"));

  private final Path root;
  private final String prefix;
  private final ReactorThreads threads;

  private StaticFiles(Path root, String prefix, ReactorThreads threads) {
    this.root = root;
    this.prefix = prefix;
    this.threads = threads;
  }

  /**
   * Returns a handler serving {@code root} under the URL path {@code prefix} (e.g. {@code
   * "/static/"}; {@code "/"} for everything), reading files on {@code threads}' worker pool.
   *
   * @throws IOException if {@code root} is not a readable directory
   */
  public static StaticFiles serve(Path root, String prefix, ReactorThreads threads) throws IOException {
    Objects.requireNonNull(prefix, "prefix");
    if (!prefix.startsWith("/") || !prefix.endsWith("/")) {
      throw new IllegalArgumentException("prefix must start and end with '/': " + prefix);
    }
    Path real = root.toRealPath();
    if (!Files.isDirectory(real)) {
      throw new IOException("not a directory: " + root);
    }
    return new StaticFiles(real, prefix, Objects.requireNonNull(threads, "threads"));
  }

  @Override
  public Deferred<HttpResponse> handle(HttpRequest request) {
    if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
      return Deferred.succeed(HttpResponse.text(405, "Method Not Allowed\n").header("Allow", "GET, HEAD"));
    }
    Path file = resolve(request.path());
    if (file == null) {
      return Deferred.succeed(notFound());
    }
    return threads.deferToThread(() -> respond(file, request.headers()));
  }

  /** Maps a URL path to a file under the root, or null when it is outside it or malformed. */
  Path resolve(String path) {
    if (!path.startsWith(prefix)) {
      return null;
    }
    String relative;
    try {
      relative = URLDecoder.decode(path.substring(prefix.length()).replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      return null;
    }
    if (relative.isEmpty() || relative.indexOf('\0') >= 0 || relative.indexOf('\\') >= 0 || relative.startsWith("/")) {
      return null;
    }
    Path candidate = root.resolve(relative).normalize();
    return candidate.startsWith(root) ? candidate : null;
  }

  private HttpResponse respond(Path file, HttpHeaders headers) throws IOException {
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS) || !file.toRealPath().startsWith(root)) {
      return notFound(); // absent, or a link out of the root
    }
    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
    if (!attributes.isRegularFile()) {
      return notFound();
    }
    long size = attributes.size();
    Instant modified = attributes.lastModifiedTime().toInstant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    String etag = "\"" + Long.toHexString(size) + "-" + Long.toHexString(modified.getEpochSecond()) + "\"";
    String lastModified = HttpDates.format(modified);
    if (notModified(headers, etag, modified)) {
      return HttpResponse.of(304).header("ETag", etag).header("Last-Modified", lastModified);
    }
    String type = TYPES.getOrDefault(extension(file), "application/octet-stream");
    long[] range = range(headers.get("Range"), size, headers.get("If-Range"), etag);
    if (range != null && range[0] < 0) {
      return HttpResponse.text(416, "Range Not Satisfiable\n").header("Content-Range", "bytes */" + size);
    }
    long from = range == null ? 0 : range[0];
    long length = range == null ? size : range[1] - range[0] + 1;
    if (length > MAX_FILE_SIZE) {
      return HttpResponse.text(413, "file larger than " + MAX_FILE_SIZE + " bytes; ask for a range\n");
    }
    byte[] body = new byte[(int) length];
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      in.seek(from);
      in.readFully(body);
    }
    HttpResponse response = HttpResponse.bytes(range == null ? 200 : 206, type, body)
        .header("ETag", etag).header("Last-Modified", lastModified).header("Accept-Ranges", "bytes");
    if (range != null) {
      response.header("Content-Range", "bytes " + range[0] + "-" + range[1] + "/" + size);
    }
    return response;
  }

  private static boolean notModified(HttpHeaders headers, String etag, Instant modified) {
    String noneMatch = headers.get("If-None-Match");
    if (noneMatch != null) {
      for (String tag : noneMatch.split(",")) {
        String t = tag.trim();
        if (t.equals("*") || t.equals(etag) || t.equals("W/" + etag)) {
          return true;
        }
      }
      return false; // If-None-Match wins over If-Modified-Since
    }
    String since = headers.get("If-Modified-Since");
    if (since != null) {
      try {
        Instant when = ZonedDateTime.parse(since.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        return !modified.isAfter(when);
      } catch (DateTimeParseException ignored) {
        return false; // an invalid date is ignored, as RFC 9110 says
      }
    }
    return false;
  }

  /**
   * Returns {first, last} of a single satisfiable byte range, {-1, -1} when unsatisfiable, or null
   * to send the whole file (no Range, a multi-range or malformed one, or a stale If-Range).
   */
  static long[] range(String header, long size, String ifRange, String etag) {
    if (header == null || !header.startsWith("bytes=") || header.indexOf(',') >= 0) {
      return null;
    }
    if (ifRange != null && !ifRange.trim().equals(etag)) {
      return null;
    }
    String spec = header.substring(6).trim();
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return null;
    }
    try {
      String first = spec.substring(0, dash).trim();
      String last = spec.substring(dash + 1).trim();
      if (first.isEmpty()) { // suffix: the last N bytes
        long n = Long.parseLong(last);
        if (n <= 0 || size == 0) {
          return new long[] {-1, -1};
        }
        return new long[] {Math.max(0, size - n), size - 1};
      }
      long from = Long.parseLong(first);
      long to = last.isEmpty() ? size - 1 : Math.min(Long.parseLong(last), size - 1);
      if (from < 0 || from >= size || to < from) {
        return new long[] {-1, -1};
      }
      return new long[] {from, to};
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String extension(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  private static HttpResponse notFound() {
    return HttpResponse.text(404, "Not Found\n");
  }
}
