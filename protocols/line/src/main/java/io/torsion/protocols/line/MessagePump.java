package io.torsion.protocols.line;

import io.torsion.Protocol;

/**
 * Delivers the complete messages a receiver has buffered, one at a time, with {@link
 * LineReceiver}'s rules: none while paused (they wait for resume), none once the transport is
 * closing, and a handler that feeds or pauses re-entrantly queues rather than nests.
 */
final class MessagePump {
  /** Delivers one buffered message; returns false when none is complete (or framing stopped). */
  interface Step {
    boolean deliverOne();
  }

  private final Protocol protocol;
  private final Step step;
  private boolean paused;
  private boolean pumping;

  MessagePump(Protocol protocol, Step step) {
    this.protocol = protocol;
    this.step = step;
  }

  /** Delivers what is complete, as far as pausing and closing allow. */
  void pump() {
    if (pumping) {
      return;
    }
    pumping = true;
    try {
      while (!paused && !closing() && step.deliverOne()) {
        // one message per turn, so that a handler's pause or close takes effect at once
      }
    } finally {
      pumping = false;
    }
  }

  /** Stops delivering (and reading) until {@link #resume()}. */
  void pause() {
    if (!paused) {
      paused = true;
      protocol.transport().pauseProducing();
    }
  }

  /** Delivers what was held, then reads again. */
  void resume() {
    if (paused) {
      paused = false;
      protocol.transport().resumeProducing();
      pump();
    }
  }

  private boolean closing() {
    return protocol.connected() && protocol.transport().disconnecting();
  }
}
