package io.torsion.internal;

import io.torsion.CannotListenError;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.ConnectException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * The file of a UNIX domain socket: a stale one (its process gone: connecting is refused) is
 * removed before binding, as Twisted's {@code listenUNIX} with a lock does; a live one, or a file
 * that is not a socket, is left alone and refused.
 */
final class UnixSocketFiles {
  private static final System.Logger LOG = System.getLogger(UnixSocketFiles.class.getName());

  private UnixSocketFiles() {}

  static void clearStale(Path path) throws CannotListenError {
    String where = "cannot listen on UNIX socket " + path + ": ";
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      BasicFileAttributes file =
          Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (!file.isOther()) {
        throw new CannotListenError(where + "the file exists and is not a socket", null);
      }
      try {
        SocketChannel.open(UnixDomainSocketAddress.of(path)).close();
        throw new CannotListenError(where + "another process is listening on it", null);
      } catch (ConnectException refused) {
        Files.delete(path); // its process is gone
        LOG.log(Level.INFO, "removed the stale UNIX socket {0}", path);
      }
    } catch (IOException e) {
      throw new CannotListenError(where + e, e);
    }
  }

  static void setMode(Path path, Set<PosixFilePermission> mode) throws CannotListenError {
    try {
      Files.setPosixFilePermissions(path, mode);
    } catch (UnsupportedOperationException notPosix) {
      LOG.log(Level.DEBUG, "no POSIX permissions here: {0} keeps its mode", path);
    } catch (IOException e) {
      throw new CannotListenError("cannot set the mode of UNIX socket " + path + ": " + e, e);
    }
  }

  static void remove(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "could not remove the UNIX socket {0}: {1}", path, e.toString());
    }
  }
}
