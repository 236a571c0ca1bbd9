package io.torsion.spi;

import java.util.List;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * What a {@link TlsProvider} builds engines from: the side, the keys (chosen per handshake by the
 * key manager: SNI, reloads) and trust, and the protocol parameters.
 *
 * @param client true for the side that connects
 * @param keyManager this side's identities (a server's, or a client's certificate), or null
 * @param trustManager whom the peer's chain must be signed by (a client's servers, a server's
 *     client certificates), never null on a client
 * @param protocols the versions enabled, such as {@code TLSv1.3}
 * @param cipherSuites the suites enabled, or null for the engine's defaults
 * @param applicationProtocols the ALPN protocols offered, preferred first; empty for none
 * @param requireClientCertificate a server fails the handshake of a client without a certificate
 * @param requestClientCertificate a server asks clients for a certificate, and serves those without
 * @param hostnameVerification whether a client checks that the certificate names the host
 */
public record TlsSettings(
    boolean client,
    X509ExtendedKeyManager keyManager,
    X509ExtendedTrustManager trustManager,
    List<String> protocols,
    List<String> cipherSuites,
    List<String> applicationProtocols,
    boolean requireClientCertificate,
    boolean requestClientCertificate,
    boolean hostnameVerification) {}
