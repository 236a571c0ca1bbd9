package io.torsion.protocols.http;

import io.torsion.Transport;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Encodes responses straight into a scratch array that every write reuses (the transport copies
 * what it is given): status line (pre-encoded per status), the {@code Date} and {@code Server}
 * fields (encoded once a second), the response's fields, framing, and a small body in the same
 * write. One encoder serves every connection of a reactor thread.
 *
 * <p>While a connection {@linkplain #hold holds} it (during one read), its output gathers in the
 * scratch array and goes to the transport in one write on {@link #release}: sixteen pipelined
 * responses cost one transport write, not sixteen. Output for another connection first sends what
 * is gathered, so no connection's bytes wait on another's.
 */
final class ResponseEncoder {
  /** How a response's body is delimited. */
  enum Framing {
    /** No body: 1xx, 204, 304. */
    NONE,
    /** {@code Content-Length}. */
    FIXED,
    /** Chunked transfer coding. */
    CHUNKED,
    /** Closing the connection ends the body: a streamed body of unknown length to HTTP/1.0. */
    CLOSE
  }

  private static final int INLINE_BODY = 16 * 1024;
  private static final int SCRATCH_KEPT = 64 * 1024;
  private static final byte[][] STATUS_LINES = new byte[600][];
  private static final byte[] LAST_CHUNK = ascii("0\r\n\r\n");
  private static final byte[] CRLF = ascii("\r\n");
  private static final byte[] CONNECTION_CLOSE = ascii("Connection: close\r\n");
  private static final byte[] CONNECTION_KEEP_ALIVE = ascii("Connection: keep-alive\r\n");
  private static final byte[] CONTENT_LENGTH = ascii("Content-Length: ");
  private static final byte[] CHUNKED = ascii("Transfer-Encoding: chunked\r\n");

  private static final int FIELD_SLOTS = 8;

  private final byte[] serverField;
  private final String[] slotNames = new String[FIELD_SLOTS];
  private final String[] slotValues = new String[FIELD_SLOTS];
  private final byte[][] slotBytes = new byte[FIELD_SLOTS][];
  private byte[] scratch = new byte[1024];
  private int size;
  private Transport owner; // whose bytes are in scratch[0, size)
  private boolean holding;
  private int sends; // counts the times gathered output left for a transport, for marks
  private long dateSecond = -1;
  private byte[] dateField;
  private boolean dateRead; // the clock was read during this hold: its responses share the Date

  /** Creates an encoder that sends {@code Server: server}, or no {@code Server} field if null. */
  ResponseEncoder(String server) {
    this.serverField = server == null ? new byte[0] : latin1("Server: " + server + "\r\n");
  }

  /** Returns how {@code response} to {@code request} (null if unparsed) is delimited. */
  static Framing framing(HttpResponse response, HttpRequest request) {
    int status = response.status();
    if (status < 200 || status == 204 || status == 304) {
      return Framing.NONE;
    }
    if (!response.isStreamed() || response.length() >= 0) {
      return Framing.FIXED;
    }
    return request != null && request.version().equals("HTTP/1.0")
        ? Framing.CLOSE
        : Framing.CHUNKED;
  }

  /**
   * Writes the head of {@code response} to {@code request} (null if unparsed) and, unless it is
   * streamed or answers {@code HEAD}, its body; {@code close} adds {@code Connection: close}.
   */
  void write(
      Transport transport,
      HttpResponse response,
      HttpRequest request,
      Framing framing,
      boolean close) {
    boolean head = request != null && request.method().equals("HEAD");
    boolean http10 = request != null && request.version().equals("HTTP/1.0");
    start(transport);
    put(statusLine(response.status()));
    put(dateField());
    put(serverField);
    HttpHeaders headers = response.headers();
    for (int i = 0; i < headers.size(); i++) {
      String name = headers.name(i);
      if (!name.equalsIgnoreCase("Content-Length")
          && !name.equalsIgnoreCase("Transfer-Encoding")
          && (!name.equalsIgnoreCase("Connection") || response.upgrade() != null)) {
        field(i, name, headers.value(i)); // the encoder frames and closes; a 101 says Upgrade
      }
    }
    if (close || framing == Framing.CLOSE) {
      put(CONNECTION_CLOSE);
    } else if (http10) {
      put(CONNECTION_KEEP_ALIVE);
    }
    switch (framing) {
      case FIXED -> {
        put(CONTENT_LENGTH);
        putDecimal(response.length());
        put(CRLF);
      }
      case CHUNKED -> put(CHUNKED);
      default -> {}
    }
    put(CRLF);
    byte[] body = response.body();
    if (body != null && !head && framing != Framing.NONE && body.length > 0) {
      writeRaw(transport, ByteBuffer.wrap(body));
    } else {
      sendUnlessHeld();
    }
  }

  /** Writes {@code data} as it is (a fixed-length body, an interim response). */
  void writeRaw(Transport transport, ByteBuffer data) {
    start(transport);
    int length = data.remaining();
    if (length <= INLINE_BODY) {
      ensure(length);
      data.get(scratch, size, length);
      size += length;
      sendUnlessHeld();
    } else {
      flush();
      sends++;
      transport.write(data);
      if (!holding) {
        owner = null;
      }
    }
  }

  /**
   * Writes {@code data} as one chunk, in one piece of output: a write may hand control to a
   * producer, whose own chunk must not land inside this one's framing.
   */
  void writeChunk(Transport transport, ByteBuffer data) {
    start(transport);
    int length = data.remaining();
    putAscii(Integer.toHexString(length));
    ensure(length + 4);
    scratch[size++] = '\r';
    scratch[size++] = '\n';
    data.get(scratch, size, length);
    size += length;
    scratch[size++] = '\r';
    scratch[size++] = '\n';
    sendUnlessHeld();
  }

  /** Gathers {@code transport}'s output until {@link #release}. */
  void hold(Transport transport) {
    start(transport);
    holding = true;
    dateRead = false;
  }

  /** Sends what {@code transport} gathered, and stops gathering. */
  void release(Transport transport) {
    if (owner == transport) {
      holding = false;
      flush();
      owner = null;
    }
  }

  /**
   * Returns a mark of where {@code transport}'s next output begins, which {@link #retract} can take
   * back while it is still gathered; -1 when nothing is gathered (the output will leave at once).
   */
  long mark(Transport transport) {
    return owner == transport && holding ? (long) sends << 32 | size : -1;
  }

  /**
   * Takes back the output {@code transport} wrote since {@code mark}, if none of it has left;
   * returns false if some has.
   */
  boolean retract(Transport transport, long mark) {
    if (mark < 0 || owner != transport || !holding || (int) (mark >>> 32) != sends) {
      return false;
    }
    int at = (int) mark;
    if (at > size) {
      return false;
    }
    size = at;
    return true;
  }

  /** Forgets what {@code transport} gathered: it is being aborted. */
  void discard(Transport transport) {
    if (owner == transport) {
      holding = false;
      size = 0;
      sends++;
      owner = null;
    }
  }

  /**
   * Makes the scratch array {@code transport}'s, sending another connection's gathered output
   * first.
   */
  private void start(Transport transport) {
    if (owner != transport) {
      flush();
      owner = transport;
      holding = false;
    }
  }

  private void sendUnlessHeld() {
    if (!holding) {
      flush();
      owner = null; // nothing gathered: keep no reference to the connection
    } else if (size > SCRATCH_KEPT) {
      flush();
    }
  }

  private void flush() {
    if (size == 0) {
      return;
    }
    ByteBuffer out = ByteBuffer.wrap(scratch, 0, size);
    sends++;
    size = 0; // the transport copies before anything can call back into this encoder
    if (scratch.length > SCRATCH_KEPT) {
      scratch = new byte[1024]; // one large response must not pin memory
    }
    owner.write(out);
  }

  /** Writes the last chunk, without trailer fields. */
  void writeLastChunk(Transport transport) {
    writeRaw(transport, ByteBuffer.wrap(LAST_CHUNK));
  }

  private static byte[] statusLine(int status) {
    byte[] line = STATUS_LINES[status];
    if (line == null) {
      line = ascii("HTTP/1.1 " + status + " " + Statuses.reason(status) + "\r\n");
      STATUS_LINES[status] = line; // a benign race: every thread computes the same bytes
    }
    return line;
  }

  /** Returns the {@code Date} field of this second, encoded once a second. */
  private byte[] dateField() {
    if (holding && dateRead) {
      return dateField; // the responses to one read (pipelined) read the clock once
    }
    dateRead = holding;
    long now = System.currentTimeMillis() / 1000;
    if (now != dateSecond) {
      dateSecond = now;
      dateField = ascii("Date: " + HttpDates.format(Instant.ofEpochSecond(now)) + "\r\n");
    }
    return dateField;
  }

  /**
   * Writes the field at {@code index} of a response. Responses from one handler carry the same
   * constant fields in the same places ({@code Content-Type: text/plain; charset=utf-8} first): a
   * field seen twice in a row at its index, the very same strings, is kept encoded and copied from
   * then on. Fields made anew for each response never match and cost nothing more.
   */
  private void field(int index, String name, String value) {
    if (index < FIELD_SLOTS) {
      if (slotNames[index] == name && slotValues[index] == value) {
        byte[] encoded = slotBytes[index];
        if (encoded == null) {
          encoded = latin1(name + ": " + value + "\r\n");
          slotBytes[index] = encoded;
        }
        put(encoded);
        return;
      }
      slotNames[index] = name;
      slotValues[index] = value;
      slotBytes[index] = null;
    }
    putLatin1(name);
    ensure(2);
    scratch[size++] = ':';
    scratch[size++] = ' ';
    putLatin1(value);
    ensure(2);
    scratch[size++] = '\r';
    scratch[size++] = '\n';
  }

  private void put(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, scratch, size, bytes.length);
    size += bytes.length;
  }

  private void putDecimal(long value) {
    int digits = 1;
    for (long rest = value / 10; rest > 0; rest /= 10) {
      digits++;
    }
    ensure(digits);
    for (int i = size + digits - 1; i >= size; i--) {
      scratch[i] = (byte) ('0' + value % 10);
      value /= 10;
    }
    size += digits;
  }

  private void putAscii(String text) {
    putLatin1(text);
  }

  private void putLatin1(String text) {
    int length = text.length();
    ensure(length);
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      scratch[size++] = (byte) (c <= 0xFF ? c : '?');
    }
  }

  private void ensure(int more) {
    if (size + more > scratch.length) {
      byte[] larger = new byte[Math.max(scratch.length * 2, size + more)];
      System.arraycopy(scratch, 0, larger, 0, size);
      scratch = larger;
    }
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] latin1(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }
}
