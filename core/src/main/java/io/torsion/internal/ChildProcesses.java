package io.torsion.internal;

import io.torsion.Reactor;
import io.torsion.ReactorOptions;
import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The child processes a reactor runs, and how they end at shutdown. Threads: any (a concurrent
 * set); processes end on their own loops.
 */
final class ChildProcesses {
  private static final System.Logger LOG = System.getLogger(Reactor.class.getName());

  private final Set<ProcessDriver> running = ConcurrentHashMap.newKeySet();

  void add(ProcessDriver driver) {
    running.add(driver);
  }

  void remove(ProcessDriver driver) {
    running.remove(driver);
  }

  /**
   * Ends them for shutdown on {@code main}: terminated first when the options say so, waited for
   * until {@code deadline}, then killed.
   */
  void endAll(ReactorOptions.ChildProcesses policy, Loop main, long deadline) {
    if (running.isEmpty()) {
      return;
    }
    if (policy == ReactorOptions.ChildProcesses.TERMINATE) {
      for (ProcessDriver driver : running) {
        driver.terminate(false);
      }
    }
    main.driveUntil(running::isEmpty, deadline);
    if (!running.isEmpty()) {
      LOG.log(
          Level.WARNING,
          "{0} child process(es) still running at the end of the shutdown timeout; killing them",
          running.size());
      for (ProcessDriver driver : running) {
        driver.terminate(true);
      }
      main.driveUntil(running::isEmpty, System.nanoTime() + TimeUnit.SECONDS.toNanos(2));
    }
  }
}
