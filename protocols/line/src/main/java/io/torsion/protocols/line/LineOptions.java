package io.torsion.protocols.line;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * How a {@link LineReceiver} or {@link LineOnlyReceiver} splits and decodes lines. Immutable; build
 * with {@link #builder()}.
 *
 * <table class="striped">
 *   <caption>Options and their defaults</caption>
 *   <thead><tr><th>option</th><th>default</th><th>meaning</th></tr></thead>
 *   <tbody>
 *     <tr><td>{@link #delimiter()}</td><td>{@code \r\n}</td><td>what ends a line</td></tr>
 *     <tr><td>{@link #acceptBareLf()}</td><td>false</td>
 *         <td>with {@code \r\n}, a bare {@code \n} also ends a line (for people typing into
 *         {@code nc} or {@code telnet}); lines are still sent with {@code \r\n}</td></tr>
 *     <tr><td>{@link #maxLength()}</td><td>{@value #DEFAULT_MAX_LENGTH} bytes</td>
 *         <td>the longest line accepted, delimiter excluded; also applies to a line whose
 *         delimiter has not arrived yet</td></tr>
 *     <tr><td>{@link #charset()}</td><td>UTF-8</td><td>how lines are decoded and encoded</td></tr>
 *     <tr><td>{@link #malformed()}</td><td>{@code CLOSE}</td>
 *         <td>what to do with a line that is not valid in the charset</td></tr>
 *   </tbody>
 * </table>
 */
public final class LineOptions {
  /** Default of {@link #maxLength()}, as in Twisted. */
  public static final int DEFAULT_MAX_LENGTH = 16384;

  private static final LineOptions DEFAULTS = builder().build();

  /** What to do with a line that does not decode. */
  public enum Malformed {
    /** Replace the bad bytes with U+FFFD and deliver the line. */
    REPLACE,
    /** Call {@code lineMalformed}, which by default closes the connection with a reason. */
    CLOSE
  }

  private final byte[] delimiter;
  private final int maxLength;
  private final Charset charset;
  private final Malformed malformed;
  private final boolean acceptBareLf;

  private LineOptions(Builder builder) {
    this.acceptBareLf = builder.acceptBareLf;
    this.delimiter = builder.delimiter.clone();
    this.maxLength = builder.maxLength;
    this.charset = builder.charset;
    this.malformed = builder.malformed;
  }

  /** Returns the defaults: {@code \r\n}, 16384 bytes, UTF-8, close on malformed input. */
  public static LineOptions defaults() {
    return DEFAULTS;
  }

  /** Returns a builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns the delimiter's bytes (a copy). */
  public byte[] delimiter() {
    return delimiter.clone();
  }

  byte[] delimiterBytes() {
    return delimiter;
  }

  /**
   * Returns true if a bare {@code \n} ends a line as well as {@code \r\n} (a {@code \r} before the
   * {@code \n} is not part of the line); only with the {@code \r\n} delimiter.
   */
  public boolean acceptBareLf() {
    return acceptBareLf;
  }

  /** Returns the longest line accepted, in bytes, delimiter excluded. */
  public int maxLength() {
    return maxLength;
  }

  /** Returns the charset lines are decoded and encoded with. */
  public Charset charset() {
    return charset;
  }

  /** Returns what happens to a line that does not decode. */
  public Malformed malformed() {
    return malformed;
  }

  /** Builds {@link LineOptions}. */
  public static final class Builder {
    private byte[] delimiter = {'\r', '\n'};
    private int maxLength = DEFAULT_MAX_LENGTH;
    private Charset charset = StandardCharsets.UTF_8;
    private Malformed malformed = Malformed.CLOSE;
    private boolean acceptBareLf;

    private Builder() {}

    /**
     * Lets a bare {@code \n} end a line as well as {@code \r\n}, as people typing into {@code nc}
     * send; lines are still sent with {@code \r\n}. Needs the {@code \r\n} delimiter (checked by
     * {@link #build()}).
     */
    public Builder acceptBareLf(boolean accept) {
      this.acceptBareLf = accept;
      return this;
    }

    /** Sets the delimiter, e.g. {@code "\n"}; encoded as ASCII, not empty. */
    public Builder delimiter(String delimiter) {
      return delimiter(
          Objects.requireNonNull(delimiter, "delimiter").getBytes(StandardCharsets.US_ASCII));
    }

    /** Sets the delimiter's bytes, not empty. */
    public Builder delimiter(byte[] delimiter) {
      if (delimiter.length == 0) {
        throw new IllegalArgumentException("the delimiter is empty");
      }
      this.delimiter = delimiter.clone();
      return this;
    }

    /** Sets the longest line accepted, in bytes, at least 1. */
    public Builder maxLength(int bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("maxLength must be at least 1: " + bytes);
      }
      this.maxLength = bytes;
      return this;
    }

    /** Sets the charset. */
    public Builder charset(Charset charset) {
      this.charset = Objects.requireNonNull(charset, "charset");
      return this;
    }

    /** Sets what happens to a line that does not decode. */
    public Builder malformed(Malformed action) {
      this.malformed = Objects.requireNonNull(action, "malformed");
      return this;
    }

    /**
     * Returns the options.
     *
     * @throws IllegalArgumentException if a bare LF is accepted with a delimiter other than CRLF
     */
    public LineOptions build() {
      if (acceptBareLf && !Arrays.equals(delimiter, new byte[] {'\r', '\n'})) {
        throw new IllegalArgumentException(
            "acceptBareLf needs the \\r\\n delimiter, not " + Arrays.toString(delimiter));
      }
      return new LineOptions(this);
    }
  }
}
