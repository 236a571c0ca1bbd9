package io.torsion;

/**
 * A reactor life-cycle event that triggers can attach to with {@link
 * Reactor#addSystemEventTrigger}.
 */
public enum SystemEvent {
  /** The reactor starts running: fired by {@link Reactor#run()} before the first I/O. */
  STARTUP,
  /**
   * The reactor stops: fired after {@link Reactor#stop()}, before {@link Reactor#run()} returns.
   */
  SHUTDOWN
}
