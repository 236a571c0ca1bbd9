package io.torsion.protocols.line;

import io.torsion.Protocol;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.util.Objects;

/**
 * The lean line protocol: lines only, no raw mode and no pausing of its own. Twisted's {@code
 * LineOnlyReceiver}.
 *
 * <pre>{@code
 * final class Log extends LineOnlyReceiver {
 *     final List<String> lines = new ArrayList<>();
 *     public void lineReceived(String line) { lines.add(line); }
 * }
 * }</pre>
 *
 * <p>Same framing, limits and decoding as {@link LineReceiver}. Called on the reactor thread.
 */
public abstract class LineOnlyReceiver extends Protocol {
  private final LineCodec codec;
  private final LineSplitter splitter;

  /** Creates a receiver with the default options. */
  protected LineOnlyReceiver() {
    this(LineOptions.defaults());
  }

  /** Creates a receiver with {@code options}. */
  protected LineOnlyReceiver(LineOptions options) {
    this.codec = new LineCodec(Objects.requireNonNull(options, "options"));
    this.splitter =
        new LineSplitter(
            options,
            new LineSplitter.Sink() {
              @Override
              public boolean paused() {
                return false;
              }

              @Override
              public boolean rawMode() {
                return false;
              }

              @Override
              public boolean closing() {
                return connected() && transport().disconnecting();
              }

              @Override
              public void line(ByteBuffer line) {
                String text;
                try {
                  text = codec.decode(line);
                } catch (CharacterCodingException e) {
                  transport().loseConnection(codec.malformedReason(e));
                  return;
                }
                lineReceived(text);
              }

              @Override
              public void raw(ByteBuffer data) {
                throw new IllegalStateException("no raw mode");
              }

              @Override
              public void tooLong(ByteBuffer buffered) {
                lineLengthExceeded(buffered);
              }
            });
  }

  /** Called with each line, decoded, without its delimiter. */
  public abstract void lineReceived(String line);

  /**
   * Called when a line is longer than the limit, with its bytes so far; the default closes the
   * connection with a reason. An override that leaves it open resynchronises at the next delimiter.
   */
  public void lineLengthExceeded(ByteBuffer buffered) {
    transport().loseConnection(codec.tooLongReason());
  }

  @Override
  public final void dataReceived(ByteBuffer data) {
    splitter.feed(data);
  }

  /** Writes {@code line}, encoded, and the delimiter. */
  public void sendLine(String line) {
    transport().write(codec.encode(line));
  }
}
