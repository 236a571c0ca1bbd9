/**
 * The {@code openssl} TLS engine: BoringSSL through Netty's netty-tcnative. Netty's handler module
 * finds netty-tcnative itself (its jars declare their modules only in a multi-release descriptor,
 * which the compiler does not resolve, so they are not required here).
 */
module io.torsion.tls.openssl {
  requires transitive io.torsion;
  requires io.netty.handler;
  requires io.netty.buffer;
  requires io.netty.common;

  exports io.torsion.tls.openssl;

  provides io.torsion.spi.TlsProvider with
      io.torsion.tls.openssl.OpenSslTlsProvider;
}
