package io.torsion;

import java.nio.file.Path;

/** A UNIX domain socket listening for connections ({@link Reactor#listenUNIX}). */
public interface UnixPort {
  /** Returns the socket file's path. */
  Path path();

  /**
   * Stops accepting connections and removes the socket file; existing connections stay open. The
   * Deferred fires with null once the socket is closed. Safe to call more than once. Called on the
   * reactor thread.
   */
  Deferred<Void> stopListening();
}
