package io.torsion;

/** The child process exited with a status other than 0, or was killed by a signal. */
public final class ProcessTerminated extends ProcessEnded {
  private static final long serialVersionUID = 1L;

  /** Creates the reason from the exit status and the signal (or null). */
  public ProcessTerminated(int exitCode, String signal) {
    super(
        signal == null
            ? "process exited with status " + exitCode
            : "process killed by signal " + signal + " (status " + exitCode + ")",
        exitCode,
        signal);
  }
}
