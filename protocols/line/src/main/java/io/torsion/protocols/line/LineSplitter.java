package io.torsion.protocols.line;

import java.nio.ByteBuffer;

/**
 * Splits a byte stream into lines for a {@link Sink}: handles lines split across reads and many
 * lines in one read, never rescans bytes already searched, enforces the length limit (also on a
 * line whose delimiter has not arrived), and stops between lines while the sink is paused or in raw
 * mode, and for good once it is closing. Re-entrant calls (a line handler that feeds or pauses) are
 * queued, not nested. After a line too long, a sink that stays open is resynchronised: the rest of
 * that line is dropped up to the next delimiter, and the lines after it are delivered.
 */
final class LineSplitter {
  /** Where the lines go. */
  interface Sink {
    boolean paused();

    boolean rawMode();

    /** Returns true once the connection is closing: no further line may be delivered. */
    boolean closing();

    void line(ByteBuffer line);

    void raw(ByteBuffer data);

    void tooLong(ByteBuffer buffered);
  }

  private final ByteAccumulator buffer = new ByteAccumulator();
  private final byte[] delimiter; // the full delimiter, as sent
  private final byte[]
      search; // what ends a line: the delimiter, or only its LF when bare LF is accepted
  private final boolean bareLf;
  private final int maxLength;
  private final Sink sink;
  private int searched;
  private int generation;
  private boolean draining;
  private boolean stopped;
  private boolean discarding; // dropping the rest of a line that was too long
  private int deliveringEnd = -1;

  LineSplitter(LineOptions options, Sink sink) {
    this.delimiter = options.delimiterBytes();
    this.bareLf = options.acceptBareLf();
    this.search = bareLf ? new byte[] {'\n'} : delimiter;
    this.maxLength = options.maxLength();
    this.sink = sink;
  }

  void feed(ByteBuffer data) {
    if (!stopped) {
      buffer.append(data);
      drain();
    }
  }

  /** Delivers what is buffered, as far as the sink's mode allows; a no-op when already draining. */
  void drain() {
    if (draining) {
      return;
    }
    draining = true;
    try {
      while (!stopped && !sink.paused()) {
        if (sink.closing()) {
          stopped = true; // Twisted's rule: nothing more is delivered once the transport is closing
          return;
        }
        if (sink.rawMode()) {
          if (buffer.size() == 0) {
            return;
          }
          searched = 0;
          sink.raw(buffer.takeAll());
          continue;
        }
        int at = buffer.indexOf(search, searched);
        if (discarding) {
          if (at < 0) {
            buffer.consume(Math.max(0, buffer.size() - search.length + 1));
            searched = 0;
            return;
          }
          buffer.consume(at + search.length);
          discarding = false;
          searched = 0;
          continue;
        }
        if (at < 0) {
          searched = Math.max(0, buffer.size() - search.length + 1);
          if (buffer.size() > maxLength && !delimiterPrefixFrom(maxLength)) {
            // more than maxLength bytes that cannot be the start of a delimiter
            int keep = search.length - 1; // may be the start of the delimiter that ends this line
            ByteBuffer partial = copy(buffer.view(0, buffer.size() - keep));
            buffer.consume(buffer.size() - keep);
            discarding = true;
            tooLong(partial);
          }
          return;
        }
        int end = at;
        if (bareLf && end > 0 && buffer.get(end - 1) == '\r') {
          end--;
        }
        if (end > maxLength) {
          ByteBuffer line = copy(buffer.view(0, end));
          buffer.consume(at + search.length);
          tooLong(line);
          continue;
        }
        int seen = generation;
        deliveringEnd = at + search.length;
        try {
          sink.line(buffer.view(0, end));
        } finally {
          deliveringEnd = -1;
        }
        if (seen == generation) {
          buffer.consume(at + search.length);
        }
        searched = 0;
      }
    } finally {
      draining = false;
    }
  }

  private void tooLong(ByteBuffer line) {
    searched = 0;
    sink.tooLong(line);
    if (sink.closing()) {
      stopped = true;
    }
  }

  private static ByteBuffer copy(ByteBuffer view) {
    ByteBuffer copy = ByteBuffer.allocate(view.remaining());
    copy.put(view).flip();
    return copy;
  }

  /** Returns true if the bytes from {@code offset} to the end could begin a delimiter. */
  private boolean delimiterPrefixFrom(int offset) {
    int length = buffer.size() - offset;
    if (length >= delimiter.length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (buffer.get(offset + i) != delimiter[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Removes and returns everything buffered and not yet delivered (not the line being delivered).
   */
  ByteBuffer clear() {
    if (deliveringEnd >= 0) {
      buffer.consume(deliveringEnd);
      deliveringEnd = -1;
    }
    generation++;
    searched = 0;
    return buffer.takeAll();
  }
}
