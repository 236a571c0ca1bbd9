package io.torsion.transport.kqueue;

import io.torsion.testing.kit.ReadinessConformance;
import io.torsion.testing.kit.TransportConformanceKit;

class KQueueConformanceTest extends TransportConformanceKit implements ReadinessConformance {
  @Override
  protected String transportName() {
    return "kqueue";
  }
}
