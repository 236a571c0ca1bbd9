package io.torsion;

/** The child process exited with status 0. */
public final class ProcessDone extends ProcessEnded {
  private static final long serialVersionUID = 1L;

  /** Creates the reason. */
  public ProcessDone() {
    super("process exited with status 0", 0, null);
  }
}
