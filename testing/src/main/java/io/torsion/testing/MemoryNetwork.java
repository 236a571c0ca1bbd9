package io.torsion.testing;

import io.torsion.CannotListenError;
import io.torsion.ConnectionRefusedError;
import io.torsion.ReactorOptions;
import io.torsion.spi.Acceptor;
import io.torsion.spi.ListenSocket;
import io.torsion.spi.Network;
import io.torsion.spi.Poller;
import io.torsion.spi.SocketEvents;
import io.torsion.spi.TimerQueue;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sockets of an in-memory reactor. Listening ports live in one address space per JVM, so
 * in-memory reactors reach each other's ports; a port is a number only (any host reaches it).
 * Besides ports, a network can be given a peer for one address ({@link #plug}), which the next
 * connection to that address meets instead of a listener: the test doubles use it.
 */
final class MemoryNetwork implements Network {
  /** The receive window of each end: what may be in flight before the writer's queue grows. */
  static final int WINDOW = 256 * 1024;

  private static final Map<Integer, Listener> LISTENING = new ConcurrentHashMap<>();
  private static final AtomicInteger NEXT_PORT = new AtomicInteger(30_000);

  private final ReactorOptions options;
  private final List<MemoryPoller> pollers = new ArrayList<>();
  private final Map<InetSocketAddress, Plug> plugged = new ConcurrentHashMap<>();

  /**
   * A peer plugged in for one address: the dialing end gets addresses {@code local} and {@code
   * remote}, and the far end, on the same poller, reports to {@code farEvents}.
   */
  record Plug(SocketAddress local, SocketAddress remote, SocketEvents farEvents) {}

  /** Two dials that meet each other: the first waits for the second. */
  private static final class Meeting {
    final SocketAddress firstAddress;
    final SocketAddress secondAddress;
    MemoryPoller waitingPoller;
    SocketEvents waiting;

    Meeting(SocketAddress firstAddress, SocketAddress secondAddress) {
      this.firstAddress = firstAddress;
      this.secondAddress = secondAddress;
    }
  }

  private final Map<InetSocketAddress, Meeting> meetings = new ConcurrentHashMap<>();

  /**
   * Makes the next connection to {@code first} wait for the next one to {@code second}, and joins
   * the two: the first end's local address is {@code firstAddress}, the second's {@code
   * secondAddress}, each the other's remote.
   */
  void meet(
      InetSocketAddress first,
      InetSocketAddress second,
      SocketAddress firstAddress,
      SocketAddress secondAddress) {
    Meeting meeting = new Meeting(firstAddress, secondAddress);
    meetings.put(first, meeting);
    meetings.put(second, meeting);
  }

  private record Listener(InetSocketAddress address, Acceptor acceptor) {}

  MemoryNetwork(ReactorOptions options) {
    this.options = options;
  }

  @Override
  public Poller newPoller(int index, TimerQueue timers) {
    MemoryPoller poller = new MemoryPoller();
    pollers.add(poller);
    return poller;
  }

  /** Returns the main loop's poller, which a test that never runs the reactor drains. */
  MemoryPoller mainPoller() {
    return pollers.get(0);
  }

  @Override
  public ListenSocket listen(
      InetSocketAddress address, String where, Acceptor acceptor, int backlog)
      throws CannotListenError { // a queue in memory has no length to set: backlog is not used
    int port = address.getPort();
    InetSocketAddress bound;
    if (port == 0) {
      Listener listener;
      do {
        port = NEXT_PORT.getAndUpdate(p -> p >= 65_535 ? 30_000 : p + 1);
        bound = new InetSocketAddress(address.getAddress(), port);
        listener = new Listener(bound, acceptor);
      } while (LISTENING.putIfAbsent(port, listener) != null);
    } else {
      bound = address;
      if (LISTENING.putIfAbsent(port, new Listener(bound, acceptor)) != null) {
        throw new CannotListenError(
            "cannot listen on " + where + ": in-memory port " + port + " is in use", null);
      }
    }
    int taken = port;
    InetSocketAddress result = bound;
    return new ListenSocket() {
      @Override
      public InetSocketAddress address() {
        return result;
      }

      @Override
      public void close(Runnable whenClosed) {
        LISTENING.remove(taken);
        whenClosed.run();
      }
    };
  }

  /** Makes the next connection of this network to {@code address} meet {@code plug}, not a port. */
  void plug(InetSocketAddress address, Plug plug) {
    plugged.put(address, plug);
  }

  @Override
  public void connect(
      Poller poller,
      InetSocketAddress address,
      String destination,
      Duration timeout,
      SocketEvents events) {
    MemoryPoller here = (MemoryPoller) poller;
    InetSocketAddress local =
        new InetSocketAddress(
            loopback(address), NEXT_PORT.getAndUpdate(p -> p >= 65_535 ? 30_000 : p + 1));
    Meeting meeting = meetings.remove(address);
    if (meeting != null) {
      if (meeting.waiting == null) {
        meeting.waitingPoller = here;
        meeting.waiting = events;
      } else {
        MemorySocket.pair(
            newSocket(here, events, meeting.secondAddress, meeting.firstAddress),
            newSocket(
                meeting.waitingPoller,
                meeting.waiting,
                meeting.firstAddress,
                meeting.secondAddress));
      }
      return;
    }
    Plug plug = plugged.remove(address);
    if (plug != null) {
      MemorySocket.pair(
          newSocket(here, events, plug.local(), plug.remote()),
          newSocket(here, plug.farEvents(), plug.remote(), plug.local()));
      return;
    }
    Listener listener = LISTENING.get(address.getPort());
    if (listener == null) {
      here.post(
          () ->
              events.connectFailed(
                  new ConnectionRefusedError("connection to " + destination + " refused", null)));
      return;
    }
    MemorySocket client = newSocket(here, events, local, listener.address());
    MemorySocket server =
        newSocket(
            (MemoryPoller) listener.acceptor().nextPoller(),
            listener.acceptor().accepted(),
            listener.address(),
            local);
    MemorySocket.pair(client, server);
  }

  MemorySocket newSocket(
      MemoryPoller poller, SocketEvents events, SocketAddress local, SocketAddress remote) {
    return new MemorySocket(
        poller,
        events,
        local,
        remote,
        WINDOW,
        options.writeBufferLowWatermark(),
        options.writeBufferHighWatermark());
  }

  private static InetAddress loopback(InetSocketAddress towards) {
    if (towards.getAddress() instanceof Inet6Address) {
      return new InetSocketAddress("::1", 0).getAddress();
    }
    return InetAddress.getLoopbackAddress();
  }

  @Override
  public List<String> details() {
    return List.of(
        "io: in memory (sockets are queues; ports are shared by the JVM's in-memory reactors)");
  }
}
