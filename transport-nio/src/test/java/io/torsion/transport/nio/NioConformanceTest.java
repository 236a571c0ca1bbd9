package io.torsion.transport.nio;

import io.torsion.testing.kit.ReadinessConformance;
import io.torsion.testing.kit.TransportConformanceKit;

class NioConformanceTest extends TransportConformanceKit implements ReadinessConformance {
  @Override
  protected String transportName() {
    return "nio";
  }
}
