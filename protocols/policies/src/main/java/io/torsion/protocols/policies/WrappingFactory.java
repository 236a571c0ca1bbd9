package io.torsion.protocols.policies;

import io.torsion.Factory;
import io.torsion.Protocol;
import java.net.SocketAddress;

/** A factory that wraps what another builds, and passes its start and stop through. */
abstract class WrappingFactory implements Factory<Protocol> {
  private final Factory<?> wrapped;

  WrappingFactory(Factory<?> wrapped) {
    this.wrapped = wrapped;
  }

  /** Returns the wrapper for a protocol the wrapped factory built. */
  abstract Protocol wrap(Protocol built);

  @Override
  public Protocol buildProtocol(SocketAddress peer) {
    Protocol built = wrapped.buildProtocol(peer);
    return built == null ? null : wrap(built);
  }

  @Override
  public void startFactory() {
    wrapped.startFactory();
  }

  @Override
  public void stopFactory() {
    wrapped.stopFactory();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + wrapped + "]";
  }
}
