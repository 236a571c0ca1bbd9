package io.torsion.posix.internal;

import com.sun.jna.Library;
import com.sun.jna.ptr.IntByReference;

/** The C library's socket calls Netty does not offer, for JNA to implement. */
public interface SocketCalls extends Library {
  /** {@code getsockname(2)}: the address {@code socket} is bound to. */
  int getsockname(int socket, byte[] address, IntByReference length);
}
