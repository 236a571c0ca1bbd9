package io.torsion.internal;

import io.torsion.PeerCredentials;
import io.torsion.spi.Socket;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * A transport's socket called only on its loop's owner thread: a call from an inline body, which
 * holds the loop while the owner waits ({@link Strand}), is handed to the owner and made there, in
 * order, so the transport (Netty's channels, bound to their event loop) never sees another thread.
 * On the owner thread itself a call goes straight through.
 */
final class OwnerSocket implements Socket {
  private final Socket socket;
  private final Loop loop;

  OwnerSocket(Socket socket, Loop loop) {
    this.socket = socket;
    this.loop = loop;
  }

  @Override
  public void write(ByteBuffer data, boolean lent) {
    if (loop.onOwner()) {
      socket.write(data, lent);
    } else {
      loop.runOnOwner(() -> socket.write(data, lent));
    }
  }

  @Override
  public void flush() {
    if (loop.onOwner()) {
      socket.flush();
    } else {
      loop.runOnOwner(socket::flush);
    }
  }

  @Override
  public void closeAfterWrites() {
    loop.runOnOwner(socket::closeAfterWrites);
  }

  @Override
  public void closeNow() {
    loop.runOnOwner(socket::closeNow);
  }

  @Override
  public void shutdownOutputAfterWrites() {
    loop.runOnOwner(socket::shutdownOutputAfterWrites);
  }

  @Override
  public void reading(boolean on) {
    if (loop.onOwner()) {
      socket.reading(on);
    } else {
      loop.runOnOwner(() -> socket.reading(on));
    }
  }

  @Override
  public long queuedBytes() {
    return loop.onOwner() ? socket.queuedBytes() : loop.onOwner(socket::queuedBytes);
  }

  @Override
  public boolean writable() {
    return loop.onOwner() ? socket.writable() : loop.onOwner(socket::writable);
  }

  @Override
  public SocketAddress localAddress() {
    return socket.localAddress();
  }

  @Override
  public SocketAddress remoteAddress() {
    return socket.remoteAddress();
  }

  @Override
  public PeerCredentials peerCredentials() {
    return loop.onOwner() ? socket.peerCredentials() : loop.onOwner(socket::peerCredentials);
  }

  @Override
  public String id() {
    return socket.id();
  }
}
