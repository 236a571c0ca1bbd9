package io.torsion.tls;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * What a protocol may know about its connection's established TLS session, from {@link
 * io.torsion.Transport#tls()}.
 *
 * @param protocol the version negotiated, such as {@code TLSv1.3}
 * @param cipherSuite the cipher suite, such as {@code TLS_AES_128_GCM_SHA256}
 * @param serverName the host name the client asked for with SNI (on a server), or the one it sent
 *     (on a client); null when none
 * @param applicationProtocol the protocol agreed with ALPN, such as {@code http/1.1}; null when
 *     none was
 * @param peerCertificates the peer's verified certificate chain, leaf first; empty when the peer
 *     sent none (a client without a certificate)
 * @param localCertificates the chain this side sent; empty when none
 * @param engine which TLS engine runs the session: {@code jdk} or {@code openssl}
 */
public record TlsInfo(
    String protocol,
    String cipherSuite,
    String serverName,
    String applicationProtocol,
    List<X509Certificate> peerCertificates,
    List<X509Certificate> localCertificates,
    String engine) {
  /** Copies the lists. */
  public TlsInfo {
    peerCertificates = List.copyOf(peerCertificates);
    localCertificates = List.copyOf(localCertificates);
  }
}
