package io.torsion.internal;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;

/**
 * The interface a multicast group is joined on when the caller names none, chosen here for every
 * transport: the interface of the socket's bound address, or else the first that is up, is not the
 * loopback and does multicast.
 */
final class MulticastInterfaces {
  private MulticastInterfaces() {}

  /** Returns the interface for a socket bound to {@code local}. */
  static NetworkInterface defaultFor(InetAddress local) throws SocketException {
    if (!local.isAnyLocalAddress()) {
      NetworkInterface bound = NetworkInterface.getByInetAddress(local);
      if (bound != null) {
        return bound;
      }
    }
    for (NetworkInterface candidate : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (candidate.isUp() && candidate.supportsMulticast() && !candidate.isLoopback()) {
        return candidate;
      }
    }
    throw new SocketException("no interface that is up supports multicast");
  }
}
