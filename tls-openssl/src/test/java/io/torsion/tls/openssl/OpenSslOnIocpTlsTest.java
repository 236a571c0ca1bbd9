package io.torsion.tls.openssl;

import io.torsion.testing.kit.ConformanceBase;
import io.torsion.testing.kit.TlsConformance;

/** The kit's TLS suite on the OpenSSL engine, over Iocp. */
class OpenSslOnIocpTlsTest extends ConformanceBase implements TlsConformance {
  @Override
  protected String transportName() {
    return "iocp";
  }

  @Override
  public String tlsEngine() {
    return "openssl";
  }
}
