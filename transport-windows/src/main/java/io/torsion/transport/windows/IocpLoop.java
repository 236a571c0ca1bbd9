package io.torsion.transport.windows;

import io.torsion.Reactor;
import io.torsion.spi.TaskPoller;
import io.torsion.spi.TimerQueue;
import java.io.IOException;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.Channel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * The poller of one reactor loop for the IOCP transport: the channel group's completion handlers
 * post every I/O event to its queue, which the owner thread runs. It closes its channels when the
 * loop stops.
 */
final class IocpLoop extends TaskPoller {
  private static final System.Logger LOG = System.getLogger(Reactor.class.getName());

  private final Set<Channel> channels = Collections.newSetFromMap(new IdentityHashMap<>());
  private final AsynchronousChannelGroup group; // closed by the main loop only
  final TimerQueue timers; // this loop's timed calls, run on its thread

  /** Creates a loop; the main loop's closes {@code group} when destroyed, the others get null. */
  IocpLoop(AsynchronousChannelGroup group, TimerQueue timers) {
    this.group = group;
    this.timers = timers;
  }

  /** Tracks a channel of this loop, so that destroying the loop closes it. */
  void track(Channel channel) {
    channels.add(channel);
  }

  void untrack(Channel channel) {
    channels.remove(channel);
  }

  @Override
  public void destroy() {
    for (Channel channel : new ArrayList<>(channels)) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // closing for shutdown: nothing to do about it
      }
    }
    channels.clear();
    super.destroy();
    if (group != null) {
      try {
        group.shutdownNow();
      } catch (IOException e) {
        LOG.log(System.Logger.Level.DEBUG, "closing the asynchronous channel group: {0}", e);
      }
    }
  }
}
