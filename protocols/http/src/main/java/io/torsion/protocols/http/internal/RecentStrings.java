package io.torsion.protocols.http.internal;

import java.nio.charset.StandardCharsets;

/**
 * The short strings requests repeat (a server's {@code Host}, its paths, a client's {@code
 * User-Agent}), made once and shared: a direct-mapped table from a slice's bytes to the string last
 * made from them. A request that repeats one allocates nothing for it, and connections that keep
 * their request (a WebSocket's) share one copy. Shared by every thread without locks: a slot holds
 * an immutable {@link String} or null, and a lost update only costs a miss.
 */
final class RecentStrings {
  static final int MAX_LENGTH = 64;
  private static final int SLOTS = 1024;
  private static final String[] TABLE = new String[SLOTS];

  private RecentStrings() {}

  /** Returns {@code bytes[from, to)} as a string, one char per byte. */
  static String of(byte[] bytes, int from, int to) {
    int length = to - from;
    if (length > MAX_LENGTH) {
      return new String(bytes, from, length, StandardCharsets.ISO_8859_1);
    }
    int hash = length;
    for (int i = from; i < to; i++) {
      hash = 31 * hash + bytes[i];
    }
    int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
    String seen = TABLE[slot];
    if (seen != null && same(seen, bytes, from, length)) {
      return seen;
    }
    String made = new String(bytes, from, length, StandardCharsets.ISO_8859_1);
    TABLE[slot] = made;
    return made;
  }

  private static boolean same(String seen, byte[] bytes, int from, int length) {
    if (seen.length() != length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (seen.charAt(i) != (char) (bytes[from + i] & 0xFF)) {
        return false;
      }
    }
    return true;
  }
}
