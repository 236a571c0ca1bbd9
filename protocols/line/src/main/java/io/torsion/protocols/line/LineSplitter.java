package io.torsion.protocols.line;

import java.nio.ByteBuffer;

/**
 * Splits a byte stream into lines for a {@link Sink}: handles lines split across reads and many
 * lines in one read, never rescans bytes already searched, enforces the length limit (also on a
 * line whose delimiter has not arrived), and stops between lines while the sink is paused or in
 * raw mode. Re-entrant calls (a line handler that feeds or pauses) are queued, not nested.
 */
final class LineSplitter {
  /** Where the lines go. */
  interface Sink {
    boolean paused();

    boolean rawMode();

    void line(ByteBuffer line);

    void raw(ByteBuffer data);

    void tooLong(ByteBuffer buffered);
  }

  private final ByteAccumulator buffer = new ByteAccumulator();
  private final byte[] delimiter;
  private final int maxLength;
  private final Sink sink;
  private int searched;
  private int generation;
  private boolean draining;
  private boolean stopped;
  private int deliveringEnd = -1;

  LineSplitter(LineOptions options, Sink sink) {
    this.delimiter = options.delimiterBytes();
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
        if (sink.rawMode()) {
          if (buffer.size() == 0) {
            return;
          }
          searched = 0;
          sink.raw(buffer.takeAll());
          continue;
        }
        int at = buffer.indexOf(delimiter, searched);
        if (at < 0) {
          searched = Math.max(0, buffer.size() - delimiter.length + 1);
          if (buffer.size() > maxLength && !delimiterPrefixFrom(maxLength)) {
            tooLong(); // more than maxLength bytes that cannot be the start of a delimiter
          }
          return;
        }
        if (at > maxLength) {
          tooLong();
          return;
        }
        int seen = generation;
        deliveringEnd = at + delimiter.length;
        try {
          sink.line(buffer.view(0, at));
        } finally {
          deliveringEnd = -1;
        }
        if (seen == generation) {
          buffer.consume(at + delimiter.length);
        }
        searched = 0;
      }
    } finally {
      draining = false;
    }
  }

  private void tooLong() {
    stopped = true;
    searched = 0;
    sink.tooLong(buffer.takeAll());
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

  /** Removes and returns everything buffered and not yet delivered (not the line being delivered). */
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
