package io.torsion.protocols.websocket.internal;

import java.nio.ByteBuffer;

/**
 * Checks that bytes are well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing past
 * U+10FFFF), fed in pieces that may split a character anywhere, failing at the first byte that
 * cannot belong to valid text (so a text message is failed as early as RFC 6455 asks).
 */
public final class Utf8Validator {
  private int needed; // continuation bytes still to come for the current character
  private int lower = 0x80; // the range the next continuation byte must fall in
  private int upper = 0xBF;

  /** Checks the remaining bytes of {@code data} (without consuming them); false at an error. */
  public boolean feed(ByteBuffer data) {
    int i = data.position();
    int end = data.limit();
    while (i < end) {
      if (needed == 0) {
        // ASCII runs, eight bytes at a time
        while (i + 8 <= end && (data.getLong(i) & 0x8080808080808080L) == 0) {
          i += 8;
        }
        if (i == end) {
          break;
        }
      }
      int b = data.get(i++) & 0xFF;
      if (needed == 0) {
        if (b < 0x80) {
          continue;
        }
        if (!lead(b)) {
          return false;
        }
      } else {
        if (b < lower || b > upper) {
          return false;
        }
        lower = 0x80;
        upper = 0xBF;
        needed--;
      }
    }
    return true;
  }

  private boolean lead(int b) {
    if (b >= 0xC2 && b <= 0xDF) {
      expect(1, 0x80, 0xBF);
    } else if (b == 0xE0) {
      expect(2, 0xA0, 0xBF); // no overlong three-byte forms
    } else if (b == 0xED) {
      expect(2, 0x80, 0x9F); // no surrogates
    } else if (b >= 0xE1 && b <= 0xEF) {
      expect(2, 0x80, 0xBF);
    } else if (b == 0xF0) {
      expect(3, 0x90, 0xBF); // no overlong four-byte forms
    } else if (b >= 0xF1 && b <= 0xF3) {
      expect(3, 0x80, 0xBF);
    } else if (b == 0xF4) {
      expect(3, 0x80, 0x8F); // nothing past U+10FFFF
    } else {
      return false; // a continuation byte first, C0, C1, F5..FF
    }
    return true;
  }

  private void expect(int count, int low, int high) {
    needed = count;
    lower = low;
    upper = high;
  }

  /** Returns true if the bytes fed so far end on a character boundary. */
  public boolean complete() {
    return needed == 0;
  }

  /** Starts again, for the next message. */
  public void reset() {
    needed = 0;
    lower = 0x80;
    upper = 0xBF;
  }
}
