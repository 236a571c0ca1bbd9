package io.torsion;

import java.io.IOException;

/**
 * How a child process ended, as passed to {@link ProcessProtocol#processExited} and {@link
 * ProcessProtocol#processEnded}: {@link ProcessDone} for exit status 0, {@link ProcessTerminated}
 * otherwise.
 */
public abstract sealed class ProcessEnded extends IOException
    permits ProcessDone, ProcessTerminated {
  private static final long serialVersionUID = 1L;
  private final int exitCode;
  private final String signal;

  ProcessEnded(String message, int exitCode, String signal) {
    super(message);
    this.exitCode = exitCode;
    this.signal = signal;
  }

  /**
   * Returns the exit status as the operating system reported it. (On POSIX the JDK reports death by
   * signal N as status 128+N.)
   */
  public int exitCode() {
    return exitCode;
  }

  /** Returns the signal that ended the process ({@code "KILL"}, {@code "TERM"}, ...), or null. */
  public String signal() {
    return signal;
  }
}
