package io.torsion.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The certificate authorities a side trusts to sign its peer's certificate: the JDK's default set
 * ({@code cacerts}), certificates from a PEM file, or a key store.
 *
 * <pre>{@code
 * TrustRoots internal = TrustRoots.fromPem(Path.of("internal-ca.pem"));
 * }</pre>
 */
public final class TrustRoots {
  private static final TrustRoots JDK = new TrustRoots(null, "the JDK's default trust store");

  private final KeyStore store; // null: the JDK's default
  private final String description;

  private TrustRoots(KeyStore store, String description) {
    this.store = store;
    this.description = description;
  }

  /** Returns the JDK's default trust store (its {@code cacerts}). */
  public static TrustRoots jdkDefault() {
    return JDK;
  }

  /** Returns trust in the certificates of a PEM file (one or more {@code CERTIFICATE} blocks). */
  public static TrustRoots fromPem(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    List<X509Certificate> certificates = Pem.certificates(file);
    return of(certificates, certificates.size() + " certificate(s) from " + file);
  }

  /** Returns trust in {@code certificates}. */
  public static TrustRoots of(X509Certificate... certificates) {
    return of(Arrays.asList(certificates), certificates.length + " given certificate(s)");
  }

  /** Returns trust in the certificate entries of {@code store}. */
  public static TrustRoots fromKeyStore(KeyStore store) {
    return new TrustRoots(Objects.requireNonNull(store, "store"), "a key store");
  }

  private static TrustRoots of(List<X509Certificate> certificates, String description) {
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException("trust needs at least one certificate");
    }
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int index = 0;
      for (X509Certificate certificate : certificates) {
        store.setCertificateEntry("trusted-" + index++, Objects.requireNonNull(certificate));
      }
      return new TrustRoots(store, description);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot make a trust store: " + e, e);
    }
  }

  X509ExtendedTrustManager trustManager() {
    try {
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      for (TrustManager manager : factory.getTrustManagers()) {
        if (manager instanceof X509ExtendedTrustManager extended) {
          return extended;
        }
      }
      throw new IllegalStateException("the JDK made no X.509 trust manager");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot load " + description + ": " + e, e);
    }
  }

  @Override
  public String toString() {
    return "TrustRoots[" + description + "]";
  }
}
