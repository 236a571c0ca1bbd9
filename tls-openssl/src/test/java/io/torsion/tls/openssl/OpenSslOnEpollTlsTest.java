package io.torsion.tls.openssl;

import io.torsion.testing.kit.ConformanceBase;
import io.torsion.testing.kit.TlsConformance;

/**
 * The kit's TLS suite on the OpenSSL engine, over epoll (the JDK's engine runs in every transport's
 * kit).
 */
class OpenSslOnEpollTlsTest extends ConformanceBase implements TlsConformance {
  @Override
  protected String transportName() {
    return "epoll";
  }

  @Override
  public String tlsEngine() {
    return "openssl";
  }
}
