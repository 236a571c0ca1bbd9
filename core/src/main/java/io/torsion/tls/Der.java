package io.torsion.tls;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** The few DER (ASN.1) encodings a self-signed certificate and a PKCS#1 key conversion need. */
final class Der {
  static final int INTEGER = 0x02;
  static final int BIT_STRING = 0x03;
  static final int OCTET_STRING = 0x04;
  static final int NULL = 0x05;
  static final int OID = 0x06;
  static final int UTF8_STRING = 0x0c;
  static final int UTC_TIME = 0x17;
  static final int GENERALIZED_TIME = 0x18;
  static final int SEQUENCE = 0x30;
  static final int SET = 0x31;
  static final int BOOLEAN = 0x01;

  private static final byte[] RSA_ENCRYPTION = oid("1.2.840.113549.1.1.1");

  private Der() {}

  /** Encodes one value: its tag, its length, its contents. */
  static byte[] tlv(int tag, byte[]... parts) {
    ByteArrayOutputStream contents = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      contents.writeBytes(part);
    }
    byte[] body = contents.toByteArray();
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 6);
    out.write(tag);
    int length = body.length;
    if (length < 0x80) {
      out.write(length);
    } else {
      int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write(length >>> (8 * i));
      }
    }
    out.writeBytes(body);
    return out.toByteArray();
  }

  static byte[] sequence(byte[]... parts) {
    return tlv(SEQUENCE, parts);
  }

  static byte[] integer(byte[] twosComplement) {
    return tlv(INTEGER, twosComplement);
  }

  static byte[] integer(long value) {
    return integer(java.math.BigInteger.valueOf(value).toByteArray());
  }

  static byte[] utf8(String text) {
    return tlv(UTF8_STRING, text.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] bitString(byte[] bits) {
    byte[] withUnused = new byte[bits.length + 1]; // leading byte: no unused bits
    System.arraycopy(bits, 0, withUnused, 1, bits.length);
    return tlv(BIT_STRING, withUnused);
  }

  /** A time as X.509 wants it: UTCTime until 2049, GeneralizedTime after. */
  static byte[] time(ZonedDateTime when) {
    ZonedDateTime utc = when.withZoneSameInstant(ZoneOffset.UTC);
    if (utc.getYear() < 2050) {
      return tlv(
          UTC_TIME,
          utc.format(DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'"))
              .getBytes(StandardCharsets.US_ASCII));
    }
    return tlv(
        GENERALIZED_TIME,
        utc.format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'"))
            .getBytes(StandardCharsets.US_ASCII));
  }

  /** Encodes a dotted object identifier, such as {@code 2.5.4.3}. */
  static byte[] oid(String dotted) {
    String[] arcs = dotted.split("\\.");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(Integer.parseInt(arcs[0]) * 40 + Integer.parseInt(arcs[1]));
    for (int i = 2; i < arcs.length; i++) {
      long arc = Long.parseLong(arcs[i]);
      int groups = Math.max(1, (64 - Long.numberOfLeadingZeros(arc) + 6) / 7);
      for (int g = groups - 1; g >= 0; g--) {
        int septet = (int) ((arc >>> (7 * g)) & 0x7f);
        out.write(g == 0 ? septet : septet | 0x80);
      }
    }
    return tlv(OID, out.toByteArray());
  }

  /** Wraps a PKCS#1 {@code RSAPrivateKey} in a PKCS#8 {@code PrivateKeyInfo}. */
  static byte[] pkcs1ToPkcs8(byte[] pkcs1) {
    return sequence(integer(0), sequence(RSA_ENCRYPTION, tlv(NULL)), tlv(OCTET_STRING, pkcs1));
  }
}
