package io.torsion.transport.iouring;

import io.torsion.testing.kit.TransportConformanceKit;

class IoUringConformanceTest extends TransportConformanceKit {
  @Override
  protected String transportName() {
    return "io_uring";
  }
}
