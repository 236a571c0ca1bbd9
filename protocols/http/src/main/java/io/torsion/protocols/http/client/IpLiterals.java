package io.torsion.protocols.http.client;

/** Recognises IP address literals, so that they are neither resolved nor sent with SNI. */
final class IpLiterals {
  private IpLiterals() {}

  /** Returns true for a dotted IPv4 address or an IPv6 address (without brackets). */
  static boolean isLiteral(String host) {
    if (host.indexOf(':') >= 0) {
      return true; // a name has no colon: IPv6
    }
    String[] parts = host.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String part : parts) {
      if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) {
        return false;
      }
      if (Integer.parseInt(part) > 255) {
        return false;
      }
    }
    return true;
  }
}
