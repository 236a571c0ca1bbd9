package io.torsion.architecture;

import io.torsion.spi.ReactorProvider;
import io.torsion.testing.MemoryTransport;
import io.torsion.testing.kit.ChildProcessConformance;
import io.torsion.testing.kit.ConformanceBase;
import io.torsion.testing.kit.StoppingConformance;
import io.torsion.testing.kit.TimersConformance;
import io.torsion.testing.kit.WorkerPoolConformance;

/**
 * The in-memory transport against the concerns of the kit that need no real socket: the reactor is
 * the same one every transport runs, so timers, the worker pool, child processes and stopping
 * behave the same. (Its connections are tested through the protocols' tests, which run on it.)
 */
class MemoryConformanceTest extends ConformanceBase
    implements TimersConformance,
        WorkerPoolConformance,
        ChildProcessConformance,
        StoppingConformance {
  @Override
  protected String transportName() {
    return "memory";
  }

  @Override
  protected ReactorProvider findProvider() {
    return new MemoryTransport();
  }
}
