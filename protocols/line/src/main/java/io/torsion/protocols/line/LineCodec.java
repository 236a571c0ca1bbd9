package io.torsion.protocols.line;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;

/** Decodes lines and encodes them with their delimiter, as a protocol's {@link LineOptions} say. */
final class LineCodec {
  private final LineOptions options;
  private final CharsetDecoder decoder;

  LineCodec(LineOptions options) {
    this.options = options;
    CodingErrorAction action =
        options.malformed() == LineOptions.Malformed.REPLACE
            ? CodingErrorAction.REPLACE
            : CodingErrorAction.REPORT;
    this.decoder =
        options.charset().newDecoder().onMalformedInput(action).onUnmappableCharacter(action);
  }

  /** Decodes {@code line}, leaving its position unchanged. */
  String decode(ByteBuffer line) throws CharacterCodingException {
    CharBuffer chars = decoder.reset().decode(line.duplicate());
    return chars.toString();
  }

  /** Returns the reason a connection closes for a line that does not decode. */
  String malformedReason(CharacterCodingException error) {
    return "line is not valid " + options.charset() + ": " + error;
  }

  /** Returns the reason a connection closes for a line over the limit. */
  String tooLongReason() {
    return "line longer than " + options.maxLength() + " bytes";
  }

  /** Returns {@code line} followed by the delimiter, in one buffer. */
  ByteBuffer encode(ByteBuffer line) {
    byte[] delimiter = options.delimiterBytes();
    ByteBuffer out = ByteBuffer.allocate(line.remaining() + delimiter.length);
    out.put(line).put(delimiter).flip();
    return out;
  }

  ByteBuffer encode(String line) {
    return encode(ByteBuffer.wrap(line.getBytes(options.charset())));
  }
}
