package io.torsion;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A running child process as its {@link ProcessProtocol} sees it: write to its standard input,
 * close that, signal it. Called on the reactor thread.
 */
public interface ProcessTransport {
  /** Queues the buffer's remaining bytes for the process's standard input; never blocks. */
  void write(ByteBuffer data);

  /** Queues {@code data} for standard input. */
  default void write(byte[] data) {
    write(ByteBuffer.wrap(data));
  }

  /** Queues {@code text}, encoded as UTF-8, for standard input. */
  default void write(String text) {
    write(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Closes standard input once the queued input is written; the process reads end of file. */
  void closeStdin();

  /**
   * Sends {@code signal} ({@code "TERM"}, {@code "KILL"}, {@code "INT"}, {@code "HUP"}, ...). TERM
   * and KILL work everywhere; other signals need a POSIX system.
   *
   * @throws IllegalStateException if the process has exited already
   */
  void signalProcess(String signal);

  /** Returns the operating system's process id. */
  long pid();
}
