package io.torsion;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The behaviour attached to a child process started with {@link ReactorProcess#spawnProcess}:
 * Twisted's {@code ProcessProtocol}. Every method is called on the reactor thread; output buffers
 * are lent for the duration of the call.
 *
 * <pre>{@code
 * final class Collect extends ProcessProtocol {
 *     final ByteArrayOutputStream out = new ByteArrayOutputStream();
 *     public void connectionMade() { transport().write("input"); transport().closeStdin(); }
 *     public void outReceived(ByteBuffer data) { out.write(data.array(), data.position(), data.remaining()); }
 *     public void processEnded(ProcessEnded reason) { done.callback(out.toString()); }
 * }
 * }</pre>
 */
public abstract class ProcessProtocol {
  private ProcessTransport transport;

  /** Creates a protocol not yet attached to a process. */
  protected ProcessProtocol() {}

  /** Attaches the process and calls {@link #connectionMade()}; the reactor calls it once. */
  public void makeConnection(ProcessTransport transport) {
    if (this.transport != null) {
      throw new IllegalStateException(this + " is already attached to a process");
    }
    this.transport = Objects.requireNonNull(transport, "transport");
    connectionMade();
  }

  /** Returns the process's transport. */
  public final ProcessTransport transport() {
    if (transport == null) {
      throw new IllegalStateException(this + " is not attached to a process yet");
    }
    return transport;
  }

  /** Called once the process has started. */
  public void connectionMade() {}

  /** Called with output the process wrote to its standard output. */
  public void outReceived(ByteBuffer data) {}

  /** Called with output the process wrote to its standard error. */
  public void errReceived(ByteBuffer data) {}

  /** Called when the process's standard output reached end of file. */
  public void outConnectionLost() {}

  /** Called when the process's standard error reached end of file. */
  public void errConnectionLost() {}

  /** Called when the process has exited; output may still be arriving. */
  public void processExited(ProcessEnded reason) {}

  /** Called last, once the process has exited and all its output has been delivered. */
  public void processEnded(ProcessEnded reason) {}
}
