package io.torsion.protocols.websocket.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * {@code permessage-deflate} (RFC 7692): the negotiation of its parameters, and one connection's
 * compressor and decompressor.
 *
 * <p>The JDK's {@link Deflater} always uses a 32 KiB window. Where the peer asks for a smaller one
 * ({@code server_max_window_bits} to a server, {@code client_max_window_bits} to a client), this
 * side compresses with Huffman coding only: no back-references at all, so any window suffices. The
 * {@link Inflater} reads every window size. Inflating stops at the caller's limit, so a compression
 * bomb costs at most that much memory.
 */
public final class PerMessageDeflate {
  /** The extension's name, as it appears in {@code Sec-WebSocket-Extensions}. */
  public static final String NAME = "permessage-deflate";

  private static final byte[] TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};
  private static final int CHUNK = 16 * 1024;

  // made at first use: zlib's state is native memory (about 256 KiB to compress, 40 KiB to inflate)
  // that a connection which never sends or never receives a compressed message should not hold
  private Deflater deflater;
  private Inflater inflater;
  private final boolean huffmanOnly;
  private final boolean resetAfterSending; // this side takes no context over to the next message
  private final boolean resetAfterReceiving; // the peer takes none
  private final String response; // what the server answers, or null on a client
  private byte[] out = new byte[0]; // grown at first use, as the codec state is
  private byte[] in = new byte[0];

  private PerMessageDeflate(
      boolean noContextSending, boolean noContextReceiving, boolean huffmanOnly, String response) {
    this.huffmanOnly = huffmanOnly;
    this.resetAfterSending = noContextSending;
    this.resetAfterReceiving = noContextReceiving;
    this.response = response;
  }

  // ---------------------------------------------------------------- negotiation

  /**
   * On a server: returns the codec for the first {@code permessage-deflate} offer in {@code header}
   * (a {@code Sec-WebSocket-Extensions} value, or several joined with commas) whose parameters are
   * valid, or null if there is none. {@link #response()} is then what to answer.
   *
   * @param noContextTakeover true to keep no compression context between this server's messages
   *     (less memory per connection, less compression), announced to the client
   */
  public static PerMessageDeflate accept(String header, boolean noContextTakeover) {
    if (header == null) {
      return null;
    }
    for (Offer offer : parse(header)) {
      if (!offer.name.equals(NAME) || !valid(offer.params, true)) {
        continue;
      }
      Map<String, String> params = offer.params;
      boolean serverNoContext =
          noContextTakeover || params.containsKey("server_no_context_takeover");
      boolean clientNoContext = params.containsKey("client_no_context_takeover");
      String serverBits = params.get("server_max_window_bits");
      StringBuilder answer = new StringBuilder(NAME);
      if (serverNoContext) {
        answer.append("; server_no_context_takeover");
      }
      if (clientNoContext) {
        answer.append("; client_no_context_takeover");
      }
      if (serverBits != null) {
        answer.append("; server_max_window_bits=").append(serverBits);
      }
      boolean huffmanOnly = serverBits != null && Integer.parseInt(serverBits) < 15;
      return new PerMessageDeflate(
          serverNoContext, clientNoContext, huffmanOnly, answer.toString());
    }
    return null;
  }

  /** The offer a client makes. */
  public static String offer() {
    return NAME + "; client_max_window_bits";
  }

  /**
   * On a client: returns the codec the server's {@code Sec-WebSocket-Extensions} answer sets up, or
   * null if it accepted no extension.
   *
   * @throws IllegalArgumentException if the answer is not one the client's offer allows
   */
  public static PerMessageDeflate accepted(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    List<Offer> answers = parse(header);
    if (answers.size() != 1 || !answers.get(0).name.equals(NAME)) {
      throw new IllegalArgumentException("the server accepted extensions not offered: " + header);
    }
    Map<String, String> params = answers.get(0).params;
    if (!valid(params, false)) {
      throw new IllegalArgumentException("invalid permessage-deflate parameters: " + header);
    }
    String clientBits = params.get("client_max_window_bits");
    return new PerMessageDeflate(
        params.containsKey("client_no_context_takeover"),
        params.containsKey("server_no_context_takeover"),
        clientBits != null && Integer.parseInt(clientBits) < 15,
        null);
  }

  /** Returns what a server answers in {@code Sec-WebSocket-Extensions}. */
  public String response() {
    return response;
  }

  private static boolean valid(Map<String, String> params, boolean offer) {
    for (Map.Entry<String, String> param : params.entrySet()) {
      String value = param.getValue();
      switch (param.getKey()) {
        case "server_no_context_takeover", "client_no_context_takeover" -> {
          if (value != null) {
            return false;
          }
        }
        case "server_max_window_bits" -> {
          if (!windowBits(value)) {
            return false;
          }
        }
        case "client_max_window_bits" -> {
          // an offer may leave it valueless (the client can take any); an answer must not
          if (value == null ? !offer : !windowBits(value)) {
            return false;
          }
        }
        default -> {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean windowBits(String value) {
    if (value == null || value.length() > 2 || value.isEmpty() || value.charAt(0) == '0') {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      if (value.charAt(i) < '0' || value.charAt(i) > '9') {
        return false;
      }
    }
    int bits = Integer.parseInt(value);
    return bits >= 8 && bits <= 15;
  }

  /** One extension of a header: its name and parameters (null values for valueless ones). */
  private record Offer(String name, Map<String, String> params) {}

  /** Parses {@code ext; p; q=v, ext2} (RFC 6455 9.1), tolerating quoted values; duplicates fail. */
  private static List<Offer> parse(String header) {
    List<Offer> offers = new ArrayList<>();
    for (String element : header.split(",")) {
      String[] parts = element.split(";");
      String name = parts[0].trim().toLowerCase(Locale.ROOT);
      if (name.isEmpty()) {
        continue;
      }
      Map<String, String> params = new LinkedHashMap<>();
      boolean duplicate = false;
      for (int i = 1; i < parts.length; i++) {
        String part = parts[i].trim();
        int eq = part.indexOf('=');
        String key = (eq < 0 ? part : part.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
        String value = eq < 0 ? null : part.substring(eq + 1).trim();
        if (value != null
            && value.length() >= 2
            && value.startsWith("\"")
            && value.endsWith("\"")) {
          value = value.substring(1, value.length() - 1);
        }
        if (params.containsKey(key)) {
          duplicate = true;
        }
        params.put(key, value);
      }
      if (duplicate) {
        params.put("duplicate parameter", null); // makes the offer invalid
      }
      offers.add(new Offer(name, params));
    }
    return offers;
  }

  // ---------------------------------------------------------------- the codec

  /** Compresses one whole message (the remaining bytes of {@code message}, not consumed). */
  public ByteBuffer compress(ByteBuffer message) {
    if (deflater == null) {
      deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
      if (huffmanOnly) {
        deflater.setStrategy(Deflater.HUFFMAN_ONLY);
      }
    }
    ByteBuffer input = message.duplicate();
    deflater.setInput(input);
    int length = 0;
    while (true) {
      if (length == out.length) {
        out = java.util.Arrays.copyOf(out, Math.max(CHUNK, out.length * 2));
      }
      int n = deflater.deflate(out, length, out.length - length, Deflater.SYNC_FLUSH);
      length += n;
      if (length < out.length && !input.hasRemaining()) {
        break; // all input taken and the flush fitted
      }
    }
    if (resetAfterSending) {
      deflater.reset();
    }
    // a sync flush ends with the empty stored block 00 00 FF FF, which the receiver adds back
    int end = length >= 4 ? length - 4 : length;
    return ByteBuffer.wrap(java.util.Arrays.copyOf(out, end));
  }

  /**
   * Inflates a piece of a compressed message, handing the output to {@code sink} in pieces (each
   * valid during the call; the sink throws to stop a message that grows too large).
   *
   * @throws ProtocolViolation 1007 if the data is not valid DEFLATE
   */
  public void decompress(ByteBuffer piece, Consumer<ByteBuffer> sink) {
    int n = piece.remaining();
    if (in.length < n) {
      in = new byte[Math.max(n, in.length * 2)];
    }
    piece.get(in, 0, n);
    inflate(in, n, sink);
  }

  /** Ends a compressed message: adds back the tail the sender removed and inflates the rest. */
  public void endMessage(Consumer<ByteBuffer> sink) {
    inflate(TAIL, TAIL.length, sink);
    if (resetAfterReceiving || inflater.finished()) {
      inflater.reset();
    }
  }

  private void inflate(byte[] data, int length, Consumer<ByteBuffer> sink) {
    if (inflater == null) {
      inflater = new Inflater(true);
    }
    if (out.length < CHUNK) {
      out = java.util.Arrays.copyOf(out, CHUNK);
    }
    if (inflater.finished()) {
      if (length > 0 && data != TAIL) {
        throw new ProtocolViolation(1007, "data after the final DEFLATE block of a message");
      }
      return;
    }
    inflater.setInput(data, 0, length);
    try {
      while (true) {
        int n = inflater.inflate(out, 0, out.length);
        if (n > 0) {
          sink.accept(ByteBuffer.wrap(out, 0, n));
        } else if (inflater.needsDictionary()) {
          throw new ProtocolViolation(1007, "compressed data that asks for a dictionary");
        } else {
          return; // needs input, or finished
        }
      }
    } catch (DataFormatException e) {
      throw new ProtocolViolation(1007, "invalid compressed data: " + e.getMessage());
    }
  }

  /** Frees the codec's native memory. */
  public void end() {
    if (deflater != null) {
      deflater.end();
    }
    if (inflater != null) {
      inflater.end();
    }
  }
}
