package io.torsion.transport.kqueue;

import io.torsion.testing.kit.TransportConformanceKit;

class KQueueConformanceTest extends TransportConformanceKit {
  @Override
  protected String transportName() {
    return "kqueue";
  }
}
