package io.torsion.internal;

import io.torsion.Deferred;
import io.torsion.UnixPort;
import java.nio.file.Path;

/** A UNIX domain socket's {@link Port}, as its path; stopping it removes the socket file. */
final class UnixSocketPort implements UnixPort {
  private final Port port;
  private final Path path;

  UnixSocketPort(Port port, Path path) {
    this.port = port;
    this.path = path;
  }

  @Override
  public Path path() {
    return path;
  }

  @Override
  public Deferred<Void> stopListening() {
    return port.stopListening();
  }

  @Override
  public String toString() {
    return port.toString();
  }
}
