package io.torsion.examples;

import io.torsion.Protocol;
import io.torsion.PullProducer;
import java.nio.charset.StandardCharsets;

/**
 * Flow control as in the user guide: a protocol that sends a million numbered lines to whoever
 * connects, one line each time the socket has room. A slow reader slows it down; memory stays flat.
 */
final class FlowControl {
  private FlowControl() {}

  /** Sends {@code count} lines through a pull producer, then closes. */
  static final class Numbers extends Protocol {
    private final int count;

    Numbers(int count) {
      this.count = count;
    }

    @Override
    public void connectionMade() {
      transport()
          .registerProducer(
              new PullProducer() {
                private int next;

                @Override
                public void resumeProducing() { // called whenever there is room
                  if (next < count) {
                    transport()
                        .write(("line " + next++ + "\r\n").getBytes(StandardCharsets.US_ASCII));
                  } else {
                    transport().unregisterProducer();
                    transport().loseConnection(); // after everything queued is sent
                  }
                }

                @Override
                public void stopProducing() {} // the peer went away
              });
    }
  }
}
