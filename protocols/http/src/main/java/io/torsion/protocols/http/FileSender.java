package io.torsion.protocols.http;

import io.torsion.PushProducer;
import io.torsion.ReactorThreads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.List;

/**
 * Streams parts of a file (and literal bytes between them, such as the part headers of a
 * multi-range response) into a {@link ResponseBody}, reading one chunk at a time on the worker
 * pool. A push producer: reads stop while the client's socket is full and resume when it drains, so
 * memory holds at most one chunk beyond the transport's high watermark whatever the file size.
 */
final class FileSender implements PushProducer {
  static final int CHUNK = 64 * 1024;

  /**
   * Bytes to send: literal {@code bytes}, or {@code length} bytes of the file from {@code from}.
   */
  record Segment(byte[] bytes, long from, long length) {
    static Segment literal(byte[] bytes) {
      return new Segment(bytes, 0, bytes.length);
    }

    static Segment file(long from, long length) {
      return new Segment(null, from, length);
    }
  }

  private final Path file;
  private final ArrayDeque<Segment> segments;
  private final ResponseBody body;
  private final ReactorThreads threads;
  private FileChannel channel; // used by one worker-pool task at a time
  private long position;
  private long left;
  private boolean reading;
  private boolean paused;
  private boolean stopped;

  private FileSender(Path file, List<Segment> segments, ResponseBody body, ReactorThreads threads) {
    this.file = file;
    this.segments = new ArrayDeque<>(segments);
    this.body = body;
    this.threads = threads;
  }

  /** Starts sending {@code segments} of {@code file} to {@code body}, finishing it at the end. */
  static void send(Path file, List<Segment> segments, ResponseBody body, ReactorThreads threads) {
    FileSender sender = new FileSender(file, segments, body, threads);
    body.registerProducer(sender);
    sender.next();
  }

  /** Sends literals at once and starts the next read, unless paused, reading or done. */
  private void next() {
    while (!reading && !paused && !stopped) {
      if (left == 0) {
        Segment segment = segments.poll();
        if (segment == null) {
          stopped = true;
          close();
          body.finish();
          return;
        }
        if (segment.bytes() != null) {
          body.write(segment.bytes());
          continue;
        }
        position = segment.from();
        left = segment.length();
        continue;
      }
      read();
    }
  }

  private void read() {
    reading = true;
    long at = position;
    int size = (int) Math.min(CHUNK, left);
    threads
        .deferToThread(() -> readChunk(at, size))
        .addCallbacks(
            chunk -> {
              reading = false;
              if (stopped) {
                close();
                return null;
              }
              position += chunk.remaining();
              left -= chunk.remaining();
              body.write(chunk);
              next();
              return null;
            },
            failure -> {
              reading = false;
              if (stopped) {
                close();
              } else {
                stopped = true;
                close();
                body.abort("reading " + file + " failed: " + failure.message());
              }
              return null;
            });
  }

  private ByteBuffer readChunk(long at, int size) throws IOException {
    if (channel == null) {
      channel = FileChannel.open(file, StandardOpenOption.READ);
    }
    ByteBuffer chunk = ByteBuffer.allocate(size);
    readFully(channel, file, at, chunk);
    return chunk.flip();
  }

  /**
   * Fills {@code into} (from its position 0) with the file's bytes from {@code at}; a file shorter
   * than expected is an error.
   */
  static void readFully(FileChannel channel, Path file, long at, ByteBuffer into)
      throws IOException {
    while (into.hasRemaining()) {
      if (channel.read(into, at + into.position()) < 0) {
        throw new IOException(file + " ended early: it was shortened while being read");
      }
    }
  }

  private void close() {
    if (reading) {
      return; // the read in flight sees stopped and the channel is closed with the sender's last
      // task
    }
    FileChannel open = channel;
    channel = null;
    if (open != null) {
      threads.callInThread(
          () -> {
            try {
              open.close();
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    }
  }

  @Override
  public void pauseProducing() {
    paused = true;
  }

  @Override
  public void resumeProducing() {
    if (paused) {
      paused = false;
      next();
    }
  }

  @Override
  public void stopProducing() {
    if (!stopped) {
      stopped = true;
      close();
    }
  }
}
