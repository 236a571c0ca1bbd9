package io.torsion.protocols.http;

import io.torsion.Deferred;
import io.torsion.ReactorThreads;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Serves the files under a directory: {@code Content-Type} by extension, {@code ETag} and {@code
 * Last-Modified} with their conditional requests (304), byte ranges (206, several as {@code
 * multipart/byteranges}; 416 when none is satisfiable), {@code HEAD}. No path leaves the root:
 * {@code ..}, encoded or not, and symbolic links out of it answer 404. File I/O runs on the
 * reactor's worker pool, never on the reactor thread; a file larger than one chunk streams at the
 * pace the client reads, so files of any size are served in flat memory.
 *
 * <pre>{@code
 * StaticFiles files = StaticFiles.serve(Path.of("public"), "/static/", reactor);
 * reactor.listenTCP(8080, HttpServer.create(reactor, files));
 * }</pre>
 */
public final class StaticFiles implements HttpHandler {
  /** More ranges than this in one request are answered with the whole file. */
  static final int MAX_RANGES = 16;

  private static final Map<String, String> TYPES =
      Map.ofEntries(
          Map.entry("html", "text/html; charset=utf-8"),
          Map.entry("htm", "text/html; charset=utf-8"),
          Map.entry("css", "text/css; charset=utf-8"),
          Map.entry("js", "text/javascript; charset=utf-8"),
          Map.entry("json", "application/json"),
          Map.entry("txt", "text/plain; charset=utf-8"),
          Map.entry("xml", "application/xml"),
          Map.entry("svg", "image/svg+xml"),
          Map.entry("png", "image/png"),
          Map.entry("jpg", "image/jpeg"),
          Map.entry("jpeg", "image/jpeg"),
          Map.entry("gif", "image/gif"),
          Map.entry("webp", "image/webp"),
          Map.entry("ico", "image/x-icon"),
          Map.entry("wasm", "application/wasm"),
          Map.entry("pdf", "application/pdf"),
          Map.entry("woff2", "font/woff2"));

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
  public static StaticFiles serve(Path root, String prefix, ReactorThreads threads)
      throws IOException {
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
      return Deferred.succeed(
          HttpResponse.text(405, "Method Not Allowed\n").header("Allow", "GET, HEAD"));
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
      relative =
          URLDecoder.decode(
              path.substring(prefix.length()).replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      return null;
    }
    if (relative.isEmpty()
        || relative.indexOf('\0') >= 0
        || relative.indexOf('\\') >= 0
        || relative.startsWith("/")) {
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
    Instant modified = attributes.lastModifiedTime().toInstant().truncatedTo(ChronoUnit.SECONDS);
    String etag =
        "\"" + Long.toHexString(size) + "-" + Long.toHexString(modified.getEpochSecond()) + "\"";
    String lastModified = HttpDates.format(modified);
    if (notModified(headers, etag, modified)) {
      return HttpResponse.of(304).header("ETag", etag).header("Last-Modified", lastModified);
    }
    String type = TYPES.getOrDefault(extension(file), "application/octet-stream");
    List<long[]> ranges = ranges(headers.get("Range"), size, headers.get("If-Range"), etag);
    if (ranges != null && ranges.isEmpty()) {
      return HttpResponse.text(416, "Range Not Satisfiable\n")
          .header("Content-Range", "bytes */" + size);
    }
    HttpResponse response;
    if (ranges == null) {
      response = body(file, 200, type, List.of(FileSender.Segment.file(0, size)), size);
    } else if (ranges.size() == 1) {
      long[] range = ranges.get(0);
      response =
          body(
                  file,
                  206,
                  type,
                  List.of(FileSender.Segment.file(range[0], range[1] - range[0] + 1)),
                  range[1] - range[0] + 1)
              .header("Content-Range", "bytes " + range[0] + "-" + range[1] + "/" + size);
    } else {
      response = multipart(file, type, ranges, size);
    }
    return response
        .header("ETag", etag)
        .header("Last-Modified", lastModified)
        .header("Accept-Ranges", "bytes");
  }

  /**
   * Returns a response sending {@code segments}: read here if small, else streamed chunk by chunk.
   */
  private HttpResponse body(
      Path file, int status, String type, List<FileSender.Segment> segments, long length)
      throws IOException {
    if (length <= FileSender.CHUNK) {
      ByteBuffer whole = ByteBuffer.allocate((int) length);
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
        for (FileSender.Segment segment : segments) {
          if (segment.bytes() != null) {
            whole.put(segment.bytes());
          } else {
            FileSender.readFully(
                channel,
                file,
                segment.from(),
                whole.slice(whole.position(), (int) segment.length()));
            whole.position(whole.position() + (int) segment.length());
          }
        }
      }
      return HttpResponse.bytes(status, type, whole.array());
    }
    return HttpResponse.streamed(
        status, type, length, body -> FileSender.send(file, segments, body, threads));
  }

  /** Returns a {@code multipart/byteranges} response (RFC 9110, 14.6) of {@code ranges}. */
  private HttpResponse multipart(Path file, String type, List<long[]> ranges, long size)
      throws IOException {
    String boundary = "torsion-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    List<FileSender.Segment> segments = new ArrayList<>();
    long length = 0;
    for (long[] range : ranges) {
      byte[] partHead =
          ("\r\n--"
                  + boundary
                  + "\r\nContent-Type: "
                  + type
                  + "\r\nContent-Range: bytes "
                  + range[0]
                  + "-"
                  + range[1]
                  + "/"
                  + size
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1);
      segments.add(FileSender.Segment.literal(partHead));
      segments.add(FileSender.Segment.file(range[0], range[1] - range[0] + 1));
      length += partHead.length + range[1] - range[0] + 1;
    }
    byte[] end = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1);
    segments.add(FileSender.Segment.literal(end));
    length += end.length;
    return body(file, 206, "multipart/byteranges; boundary=" + boundary, segments, length);
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
        Instant when =
            ZonedDateTime.parse(since.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        return !modified.isAfter(when);
      } catch (DateTimeParseException ignored) {
        return false; // an invalid date is ignored, as RFC 9110 says
      }
    }
    return false;
  }

  /**
   * Returns the satisfiable ranges as {first, last} pairs in the order asked, empty when none is
   * satisfiable (416), or null to send the whole file: no {@code Range}, a malformed one, a stale
   * {@code If-Range}, or more than {@value #MAX_RANGES} ranges or overlapping ones (a server may
   * ignore such requests, RFC 9110 14.2, and they cost more than the whole file).
   */
  static List<long[]> ranges(String header, long size, String ifRange, String etag) {
    if (header == null || !header.startsWith("bytes=")) {
      return null;
    }
    if (ifRange != null && !ifRange.trim().equals(etag)) {
      return null;
    }
    String[] specs = header.substring(6).split(",", -1);
    if (specs.length > MAX_RANGES) {
      return null;
    }
    List<long[]> ranges = new ArrayList<>();
    for (String spec : specs) {
      long[] range = range(spec.trim(), size);
      if (range == null) {
        return null;
      }
      if (range[0] >= 0) {
        for (long[] earlier : ranges) {
          if (range[0] <= earlier[1] && earlier[0] <= range[1]) {
            return null;
          }
        }
        ranges.add(range);
      }
    }
    return ranges;
  }

  /**
   * Returns {first, last} of one range spec, {-1, -1} when unsatisfiable, or null when malformed.
   */
  private static long[] range(String spec, long size) {
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
      long to = last.isEmpty() ? Long.MAX_VALUE : Long.parseLong(last);
      if (from < 0 || to < from) {
        return null;
      }
      if (from >= size) {
        return new long[] {-1, -1};
      }
      return new long[] {from, Math.min(to, size - 1)};
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
