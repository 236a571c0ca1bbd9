/**
 * The POSIX calls Netty lacks, through JNA: the open-files limit, and the path of a UNIX socket
 * this process was given.
 */
@SuppressWarnings(
    "requires-automatic") // JNA has no module descriptor, only an Automatic-Module-Name
module io.torsion.posix {
  requires com.sun.jna;

  exports io.torsion.posix;

  opens io.torsion.posix.internal to
      com.sun.jna; // JNA reflects on the rlimit structure and implements LibC and SocketCalls
}
