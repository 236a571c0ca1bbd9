package io.torsion.internal;

import io.torsion.Factory;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Counts the users of each factory (ports and client connections), so that {@code startFactory}
 * runs before the first and {@code stopFactory} after the last, as in Twisted. Threads: the main
 * loop's only (callers hop there).
 */
final class FactoryUsers {
  private final Map<Factory<?>, Integer> users = new IdentityHashMap<>();

  void acquire(Factory<?> factory) {
    if (users.merge(factory, 1, Integer::sum) == 1) {
      Contained.run(factory::startFactory, factory, "startFactory");
    }
  }

  void release(Factory<?> factory) {
    Integer count = users.get(factory);
    if (count == null) {
      return;
    }
    if (count == 1) {
      users.remove(factory);
      Contained.run(factory::stopFactory, factory, "stopFactory");
    } else {
      users.put(factory, count - 1);
    }
  }
}
