package io.torsion.transport.epoll;

import io.torsion.testing.kit.TransportConformanceKit;

class EpollConformanceTest extends TransportConformanceKit {
  @Override
  protected String transportName() {
    return "epoll";
  }
}
