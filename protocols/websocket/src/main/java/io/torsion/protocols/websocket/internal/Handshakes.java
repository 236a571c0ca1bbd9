package io.torsion.protocols.websocket.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** The opening handshake's keys (RFC 6455 4.1, 4.2.2). */
public final class Handshakes {
  private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  private static final SecureRandom RANDOM = new SecureRandom();

  private Handshakes() {}

  /** Returns {@code Sec-WebSocket-Accept} for a client's {@code Sec-WebSocket-Key}. */
  public static String accept(String key) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      byte[] digest = sha1.digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-1", e);
    }
  }

  /** Returns true if {@code key} is 16 bytes in base64, as a client must send. */
  public static boolean validKey(String key) {
    if (key == null || key.length() != 24) {
      return false;
    }
    try {
      return Base64.getDecoder().decode(key).length == 16;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Returns a fresh random client key. */
  public static String newKey() {
    byte[] key = new byte[16];
    RANDOM.nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }
}
