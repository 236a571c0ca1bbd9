package io.torsion.protocols.line;

import io.torsion.Protocol;
import io.torsion.PushProducer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.util.Objects;

/**
 * A protocol of lines, with a raw mode for binary stretches: Twisted's {@code LineReceiver}.
 * Override {@link #lineReceived(String)}, or {@link #lineBytesReceived(ByteBuffer)} to skip
 * decoding; write with {@link #sendLine(String)}.
 *
 * <pre>{@code
 * final class Shout extends LineReceiver {
 *     @Override
 *     public void lineReceived(String line) {
 *         if (line.equals("QUIT")) transport().loseConnection();
 *         else sendLine(line.toUpperCase());
 *     }
 * }
 * reactor.listenTCP(8001, Factory.of(Shout::new));
 * }</pre>
 *
 * <p>Lines may arrive split across reads or many in one read; each is delivered whole, in order,
 * without its delimiter. {@link #setRawMode()} from a callback sends every following byte, from the
 * very next one, to {@link #rawDataReceived}; {@link #setLineMode(ByteBuffer)} switches back,
 * re-reading what it is given, so no byte is lost or reordered. {@link #pauseProducing()} holds
 * delivery between lines. Once the transport is closing ({@code loseConnection}, {@code
 * abortConnection}, {@code stopProducing}), no further line is delivered, even one that arrived in
 * the same read. A line longer than {@link LineOptions#maxLength()} (also one still waiting for its
 * delimiter) goes to {@link #lineLengthExceeded}, which closes the connection with a reason. Called
 * on the reactor thread.
 */
public abstract class LineReceiver extends Protocol implements PushProducer {
  private final LineOptions options;
  private final LineCodec codec;
  private final LineSplitter splitter;
  private boolean rawMode;
  private boolean paused;

  /** Creates a receiver with the {@linkplain LineOptions#defaults() default options}. */
  protected LineReceiver() {
    this(LineOptions.defaults());
  }

  /** Creates a receiver with {@code options}. */
  protected LineReceiver(LineOptions options) {
    this.options = Objects.requireNonNull(options, "options");
    this.codec = new LineCodec(options);
    this.splitter =
        new LineSplitter(
            options,
            new LineSplitter.Sink() {
              @Override
              public boolean paused() {
                return paused;
              }

              @Override
              public boolean rawMode() {
                return rawMode;
              }

              @Override
              public boolean closing() {
                return connected() && transport().disconnecting();
              }

              @Override
              public void line(ByteBuffer line) {
                lineBytesReceived(line);
              }

              @Override
              public void raw(ByteBuffer data) {
                rawDataReceived(data);
              }

              @Override
              public void tooLong(ByteBuffer buffered) {
                lineLengthExceeded(buffered);
              }
            });
  }

  /** Returns the options this receiver splits and decodes with. */
  public final LineOptions options() {
    return options;
  }

  /** Called with each line, decoded, without its delimiter. */
  public abstract void lineReceived(String line);

  /**
   * Called with each line's bytes, without the delimiter; the buffer is lent for the call. The
   * default decodes it and calls {@link #lineReceived(String)}; override to work on bytes.
   */
  public void lineBytesReceived(ByteBuffer line) {
    String text;
    try {
      text = codec.decode(line);
    } catch (CharacterCodingException e) {
      lineMalformed(line, e);
      return;
    }
    lineReceived(text);
  }

  /**
   * Called in raw mode with every byte received; the buffer is lent for the call. Override it to
   * use raw mode; the default refuses, closing the connection with a reason.
   */
  public void rawDataReceived(ByteBuffer data) {
    transport()
        .loseConnection(
            getClass().getSimpleName() + " entered raw mode but does not override rawDataReceived");
  }

  /**
   * Called when a line is longer than the limit, with its bytes so far. The default closes the
   * connection with a reason, so no more lines are delivered. An override that leaves the
   * connection open resynchronises it: the rest of that line is dropped up to the next delimiter,
   * and the lines after it are delivered.
   */
  public void lineLengthExceeded(ByteBuffer buffered) {
    transport().loseConnection(codec.tooLongReason());
  }

  /**
   * Called with a line that is not valid in the charset (with {@link LineOptions.Malformed#CLOSE}).
   * The default closes the connection with a reason.
   */
  public void lineMalformed(ByteBuffer line, CharacterCodingException error) {
    transport().loseConnection(codec.malformedReason(error));
  }

  @Override
  public final void dataReceived(ByteBuffer data) {
    splitter.feed(data);
  }

  /** Writes {@code line}, encoded, and the delimiter. */
  public void sendLine(String line) {
    transport().write(codec.encode(line));
  }

  /** Writes the bytes of {@code line} and the delimiter. */
  public void sendLine(byte[] line) {
    transport().write(codec.encode(ByteBuffer.wrap(line)));
  }

  /** Sends every following byte to {@link #rawDataReceived} instead of splitting lines. */
  public void setRawMode() {
    rawMode = true;
  }

  /** Splits lines again from the next byte received. */
  public void setLineMode() {
    setLineMode(ByteBuffer.allocate(0));
  }

  /**
   * Splits lines again, starting with {@code extra}: the part of raw data the protocol did not
   * consume, which is read again as if just received.
   */
  public void setLineMode(ByteBuffer extra) {
    rawMode = false;
    if (extra.hasRemaining()) {
      splitter.feed(extra);
    } else {
      splitter.drain();
    }
  }

  /** Returns true in raw mode. */
  public final boolean rawMode() {
    return rawMode;
  }

  /** Removes and returns the bytes received and not yet delivered. */
  public ByteBuffer clearLineBuffer() {
    return splitter.clear();
  }

  /** Stops delivering lines (and reading) until {@link #resumeProducing()}. */
  @Override
  public void pauseProducing() {
    if (!paused) {
      paused = true;
      transport().pauseProducing();
    }
  }

  /** Delivers the lines held while paused, then reads again. */
  @Override
  public void resumeProducing() {
    if (paused) {
      paused = false;
      transport().resumeProducing();
      splitter.drain();
    }
  }

  /** Closes the connection now. */
  @Override
  public void stopProducing() {
    transport().abortConnection();
  }
}
