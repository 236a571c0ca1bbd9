package io.torsion.tls.openssl;

import io.torsion.testing.kit.ConformanceBase;
import io.torsion.testing.kit.TlsConformance;

/** The kit's TLS suite on the OpenSSL engine, over KQueue. */
class OpenSslOnKQueueTlsTest extends ConformanceBase implements TlsConformance {
  @Override
  protected String transportName() {
    return "kqueue";
  }

  @Override
  public String tlsEngine() {
    return "openssl";
  }
}
