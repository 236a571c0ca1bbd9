package io.torsion.transport.windows;

import io.torsion.testing.kit.TransportConformanceKit;

class IocpConformanceTest extends TransportConformanceKit {
  @Override
  protected String transportName() {
    return "iocp";
  }
}
