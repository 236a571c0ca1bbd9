package io.torsion.testing;

import io.torsion.spi.TaskPoller;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * The poller of an in-memory reactor loop: every socket event is a task in its queue. A reactor
 * that runs parks while idle; a test that never runs its reactor drains the queue with {@link
 * #runPending()}, which makes everything deterministic. It closes its sockets when the loop stops.
 */
final class MemoryPoller extends TaskPoller {
  private final Set<MemorySocket> sockets =
      Collections.newSetFromMap(new IdentityHashMap<>()); // owner's

  void track(MemorySocket socket) {
    sockets.add(socket);
  }

  void untrack(MemorySocket socket) {
    sockets.remove(socket);
  }

  @Override
  public void destroy() {
    for (MemorySocket socket : new ArrayList<>(sockets)) {
      socket.closeNow();
    }
    super.destroy();
  }
}
