package io.torsion.tls.openssl;

import io.torsion.testing.kit.ConformanceBase;
import io.torsion.testing.kit.TlsConformance;

/** The kit's TLS suite on the OpenSSL engine, over IoUring. */
class OpenSslOnIoUringTlsTest extends ConformanceBase implements TlsConformance {
  @Override
  protected String transportName() {
    return "io_uring";
  }

  @Override
  public String tlsEngine() {
    return "openssl";
  }
}
