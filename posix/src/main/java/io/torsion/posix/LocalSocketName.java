package io.torsion.posix;

import com.sun.jna.Native;
import com.sun.jna.ptr.IntByReference;
import io.torsion.posix.internal.SocketCalls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The path a UNIX domain socket is bound to, asked of the kernel ({@code getsockname}), for a
 * descriptor this process was given rather than bound itself (systemd's socket activation): Linux,
 * macOS and the BSDs, through JNA. On each, {@code sun_path} starts at the address's third byte.
 */
public final class LocalSocketName {
  private static final int SOCKADDR_UN_SIZE = 110;
  private static final int AF_UNIX = 1;

  private LocalSocketName() {}

  /**
   * Returns the path {@code fileDescriptor} is bound to.
   *
   * @throws IOException if it is not a bound UNIX domain socket, or the call cannot be made here
   */
  public static Path of(int fileDescriptor) throws IOException {
    SocketCalls calls;
    try {
      calls = Native.load("c", SocketCalls.class);
    } catch (LinkageError | RuntimeException e) {
      throw new IOException("JNA could not load the C library: " + e, e);
    }
    byte[] address = new byte[SOCKADDR_UN_SIZE];
    IntByReference length = new IntByReference(address.length);
    if (calls.getsockname(fileDescriptor, address, length) != 0) {
      throw new IOException(
          "getsockname(" + fileDescriptor + ") failed, errno " + Native.getLastError());
    }
    boolean unix = (address[0] & 0xFF) == AF_UNIX || (address[1] & 0xFF) == AF_UNIX;
    int end = 2;
    while (end < Math.min(length.getValue(), address.length) && address[end] != 0) {
      end++;
    }
    if (!unix || end == 2) {
      throw new IOException("file descriptor " + fileDescriptor + " is not a bound UNIX socket");
    }
    return Path.of(new String(address, 2, end - 2, StandardCharsets.UTF_8));
  }
}
