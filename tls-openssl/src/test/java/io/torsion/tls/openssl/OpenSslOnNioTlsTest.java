package io.torsion.tls.openssl;

import io.torsion.testing.kit.ConformanceBase;
import io.torsion.testing.kit.TlsConformance;

/** The kit's TLS suite on the OpenSSL engine, over NIO. */
class OpenSslOnNioTlsTest extends ConformanceBase implements TlsConformance {
  @Override
  protected String transportName() {
    return "nio";
  }

  @Override
  public String tlsEngine() {
    return "openssl";
  }
}
