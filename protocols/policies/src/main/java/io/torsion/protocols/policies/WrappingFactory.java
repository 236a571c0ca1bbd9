package io.torsion.protocols.policies;

import io.torsion.Factory;
import io.torsion.Protocol;
import java.net.SocketAddress;

/** A factory that wraps what another builds in a policy, and passes its start and stop through. */
abstract class WrappingFactory implements Factory<Protocol> {
  private final Object policy;
  private final Factory<?> wrapped;

  WrappingFactory(Object policy, Factory<?> wrapped) {
    this.policy = policy;
    this.wrapped = wrapped;
  }

  /** Returns the wrapper for a protocol the wrapped factory built for {@code peer}. */
  abstract Protocol wrap(Protocol built, SocketAddress peer);

  @Override
  public Protocol buildProtocol(SocketAddress peer) {
    Protocol built = wrapped.buildProtocol(peer);
    return built == null ? null : wrap(built, peer);
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
    return policy + " over " + wrapped;
  }
}
