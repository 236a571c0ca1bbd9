package io.torsion.testing;

import io.torsion.spi.Socket;
import io.torsion.spi.SocketEvents;
import io.torsion.spi.WriteQueue;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * One end of an in-memory TCP connection. What is written waits in this end's queue (counted by
 * {@link #queuedBytes()}, with the watermarks of a real socket) until the peer's receive window has
 * room; the peer delivers each write as one read, and only while it is reading. So a peer that
 * stops reading fills the window, then this end's queue, and its producers pause, as over TCP.
 * Closing sends an end of stream after what is queued; writing to a closed peer resets the
 * connection.
 *
 * <p>Threads: the queue and the flags belong to this end's poller thread; the receive window
 * ({@code inbound}, {@code endOfStream}) is guarded by this object, since the peer fills it from
 * its own thread.
 */
final class MemorySocket implements Socket {
  private final MemoryPoller poller;
  private final SocketEvents events;
  private final SocketAddress local;
  private final SocketAddress remote;
  private final int window;
  private MemorySocket peer;

  private final WriteQueue outbound;
  private boolean transferScheduled;
  private boolean closeWhenFlushed;
  private boolean shutdownWhenFlushed;
  private boolean outputShut;
  private boolean closed;
  private boolean reading = true;
  private boolean deliveryScheduled;
  private boolean endOfStreamDelivered;

  private final ArrayDeque<ByteBuffer> inbound = new ArrayDeque<>(); // guarded by this
  private long inboundBytes; // guarded by this
  private boolean endOfStream; // guarded by this
  private boolean reset; // guarded by this

  MemorySocket(
      MemoryPoller poller,
      SocketEvents events,
      SocketAddress local,
      SocketAddress remote,
      int window,
      long lowWatermark,
      long highWatermark) {
    this.poller = poller;
    this.events = events;
    this.local = local;
    this.remote = remote;
    this.window = window;
    this.outbound = new WriteQueue(lowWatermark, highWatermark);
  }

  /** Connects two ends and reports both opened, each on its own poller. */
  static void pair(MemorySocket a, MemorySocket b) {
    a.peer = b;
    b.peer = a;
    b.poller.post(b::open);
    a.poller.post(a::open);
  }

  /** Returns the other end. */
  MemorySocket peer() {
    return peer;
  }

  private void open() {
    poller.track(this);
    events.opened(this, poller);
  }

  // ---------------------------------------------------------------- writing

  @Override
  public void write(ByteBuffer data, boolean lent) {
    if (outbound.add(data)) {
      events.writabilityChanged();
    }
  }

  @Override
  public void flush() {
    if (!transferScheduled && !closed) {
      transferScheduled = true;
      poller.post(this::transfer);
    }
  }

  /** Moves what is queued into the peer's window, as far as it has room. */
  private void transfer() {
    transferScheduled = false;
    if (closed) {
      return;
    }
    boolean moved = false;
    boolean flipped = false;
    synchronized (peer) {
      if (peer.reset || peer.closed && !outbound.isEmpty()) {
        // the peer is gone: TCP answers with a reset
        peerReset();
        return;
      }
      while (!outbound.isEmpty() && peer.inboundBytes < peer.window) {
        ByteBuffer head = outbound.head(1)[0];
        ByteBuffer next =
            ByteBuffer.allocate(head.remaining()).put(head).flip(); // one write, one read
        peer.inbound.add(next);
        peer.inboundBytes += next.remaining();
        flipped |= outbound.sent(next.remaining());
        moved = true;
      }
    }
    if (moved) {
      peer.poller.post(peer::deliver);
    }
    if (flipped) {
      events.writabilityChanged();
    }
    if (outbound.isEmpty()) {
      if (closeWhenFlushed) {
        finish();
      } else if (shutdownWhenFlushed && !outputShut) {
        outputShut = true;
        sendEndOfStream();
      }
    }
  }

  private void peerReset() {
    outbound.clear();
    events.failed(new IOException("Connection reset by peer"));
    finish();
  }

  private void sendEndOfStream() {
    synchronized (peer) {
      peer.endOfStream = true;
    }
    peer.poller.post(peer::deliver);
  }

  @Override
  public void closeAfterWrites() {
    closeWhenFlushed = true;
    flush();
  }

  @Override
  public void closeNow() {
    outbound.clear();
    finish();
  }

  @Override
  public void shutdownOutputAfterWrites() {
    shutdownWhenFlushed = true;
    flush();
  }

  /** Closes this end: the peer gets an end of stream, this end's events hear closed. */
  private void finish() {
    if (closed) {
      return;
    }
    synchronized (this) {
      closed = true;
      inbound.clear();
      inboundBytes = 0;
    }
    if (!outputShut) {
      outputShut = true;
      sendEndOfStream();
    }
    poller.untrack(this);
    poller.post(events::closed);
  }

  @Override
  public long queuedBytes() {
    return outbound.bytes();
  }

  @Override
  public boolean writable() {
    return outbound.writable();
  }

  // ---------------------------------------------------------------- reading

  @Override
  public void reading(boolean on) {
    reading = on;
    if (on) {
      scheduleDelivery();
    }
  }

  boolean isReading() {
    return reading;
  }

  private void scheduleDelivery() {
    if (!deliveryScheduled) {
      deliveryScheduled = true;
      poller.post(
          () -> {
            deliveryScheduled = false;
            deliver();
          });
    }
  }

  /** Delivers what arrived, one read per write, while reading; then the end of stream. */
  private void deliver() {
    boolean delivered = false;
    while (reading && !closed) {
      ByteBuffer next;
      synchronized (this) {
        next = inbound.poll();
        if (next != null) {
          inboundBytes -= next.remaining();
        }
      }
      if (next == null) {
        break;
      }
      delivered = true;
      events.received(next);
    }
    if (delivered) {
      events.readBurstEnded();
      peer.poller.post(peer::transfer); // room in the window again
    }
    boolean ended;
    synchronized (this) {
      ended = endOfStream && inbound.isEmpty();
    }
    if (ended && reading && !closed && !endOfStreamDelivered) {
      endOfStreamDelivered = true;
      events.peerHalfClosed();
    }
  }

  /** Resets the connection from this end's side, as an abortive close of the peer would. */
  void resetByPeer(String why) {
    synchronized (this) {
      reset = true;
    }
    poller.post(
        () -> {
          if (!closed) {
            outbound.clear();
            events.failed(new IOException(why));
            finish();
          }
        });
  }

  /** Closes this end abortively: the peer's connection is reset with {@code why}. */
  void abort(String why) {
    outbound.clear();
    outputShut = true; // no end of stream: a reset instead
    peer.resetByPeer(why);
    finish();
  }

  @Override
  public SocketAddress localAddress() {
    return local;
  }

  @Override
  public SocketAddress remoteAddress() {
    return remote;
  }

  @Override
  public String id() {
    return "memory:" + local + "-" + remote;
  }
}
