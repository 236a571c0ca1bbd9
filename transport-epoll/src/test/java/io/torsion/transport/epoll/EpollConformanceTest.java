package io.torsion.transport.epoll;

import io.torsion.testing.kit.ReadinessConformance;
import io.torsion.testing.kit.TransportConformanceKit;

class EpollConformanceTest extends TransportConformanceKit implements ReadinessConformance {
  @Override
  protected String transportName() {
    return "epoll";
  }
}
