package io.torsion.transport.nio;

import io.torsion.testing.kit.TransportConformanceKit;

class NioConformanceTest extends TransportConformanceKit {
  @Override
  protected String transportName() {
    return "nio";
  }
}
