package io.torsion.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A private key and its certificate chain (leaf first): who one side of a TLS connection is. Loaded
 * from PEM files, a key store, or given as objects. One loaded from files remembers them, so that
 * {@link TlsServerOptions#reload()} can read them again.
 *
 * <pre>{@code
 * Identity site = Identity.fromPem(Path.of("fullchain.pem"), Path.of("privkey.pem"));
 * }</pre>
 */
public final class Identity {
  private final PrivateKey privateKey;
  private final List<X509Certificate> certificates;
  private final Source source; // null when given as objects

  /** Where a loaded identity came from, to load it again. */
  private interface Source {
    Identity load() throws IOException;

    List<Path> files();
  }

  private Identity(PrivateKey privateKey, List<X509Certificate> certificates, Source source) {
    this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException("an identity needs at least one certificate");
    }
    this.certificates = List.copyOf(certificates);
    this.source = source;
    if (!pairs(privateKey, certificates.get(0))) {
      throw new IllegalArgumentException(
          "the private key ("
              + privateKey.getAlgorithm()
              + ") does not match the certificate's public key ("
              + certificates.get(0).getSubjectX500Principal().getName()
              + ")");
    }
  }

  /** Returns true when {@code key} signs what the certificate's public key verifies. */
  private static boolean pairs(PrivateKey key, X509Certificate certificate) {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "RSASSA-PSS" -> "RSASSA-PSS";
          default -> key.getAlgorithm(); // Ed25519, Ed448
        };
    try {
      byte[] probe = "torsion identity check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      java.security.Signature signer = java.security.Signature.getInstance(algorithm);
      if (algorithm.equals("RSASSA-PSS")) {
        signer.setParameter(
            new java.security.spec.PSSParameterSpec(
                "SHA-256", "MGF1", java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
      }
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      signer.initVerify(certificate.getPublicKey());
      signer.update(probe);
      return signer.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** Returns an identity of {@code privateKey} and its chain, leaf first. */
  public static Identity of(PrivateKey privateKey, X509Certificate... chain) {
    return new Identity(privateKey, Arrays.asList(chain), null);
  }

  /**
   * Loads a certificate chain (PEM, leaf first, as {@code fullchain.pem}) and an unencrypted
   * private key (PEM: PKCS#8 {@code PRIVATE KEY}, or PKCS#1 {@code RSA PRIVATE KEY}).
   *
   * @throws IOException if a file cannot be read or holds no certificate or key; names the file
   */
  public static Identity fromPem(Path certificateChain, Path privateKey) throws IOException {
    return fromPem(certificateChain, privateKey, null);
  }

  /**
   * Loads as {@link #fromPem(Path, Path)}, where the key may be an encrypted PKCS#8 key ({@code
   * ENCRYPTED PRIVATE KEY}) decrypted with {@code password}.
   */
  public static Identity fromPem(Path certificateChain, Path privateKey, char[] password)
      throws IOException {
    Objects.requireNonNull(certificateChain, "certificateChain");
    Objects.requireNonNull(privateKey, "privateKey");
    char[] kept = password == null ? null : password.clone();
    Source source =
        new Source() {
          @Override
          public Identity load() throws IOException {
            return new Identity(
                Pem.privateKey(privateKey, kept), Pem.certificates(certificateChain), this);
          }

          @Override
          public List<Path> files() {
            return List.of(certificateChain, privateKey);
          }
        };
    return loaded(source);
  }

  /**
   * Loads the key entry {@code alias} (or the only key entry, when {@code alias} is null) of a key
   * store file (PKCS#12 or JKS, told apart by the JDK).
   */
  public static Identity fromKeyStore(Path file, char[] password, String alias) throws IOException {
    Objects.requireNonNull(file, "file");
    char[] kept = password == null ? new char[0] : password.clone();
    Source source =
        new Source() {
          @Override
          public Identity load() throws IOException {
            KeyStore store;
            try {
              store = KeyStore.getInstance(file.toFile(), kept);
            } catch (GeneralSecurityException e) {
              throw new IOException("cannot read the key store " + file + ": " + e, e);
            }
            return fromKeyStore(store, kept, alias, this, file);
          }

          @Override
          public List<Path> files() {
            return List.of(file);
          }
        };
    return loaded(source);
  }

  /** Returns the key entry {@code alias} (or the only one, when null) of a loaded key store. */
  public static Identity fromKeyStore(KeyStore store, char[] password, String alias)
      throws IOException {
    return fromKeyStore(store, password, alias, null, "the key store");
  }

  private static Identity fromKeyStore(
      KeyStore store, char[] password, String alias, Source source, Object where)
      throws IOException {
    try {
      String chosen = alias;
      if (chosen == null) {
        for (String candidate : Collections.list(store.aliases())) {
          if (store.isKeyEntry(candidate)) {
            if (chosen != null) {
              throw new IOException(where + " holds several keys; name the alias");
            }
            chosen = candidate;
          }
        }
      }
      Key key = chosen == null ? null : store.getKey(chosen, password);
      if (!(key instanceof PrivateKey privateKey)) {
        throw new IOException(
            "no private key " + (alias == null ? "" : alias + " ") + "in " + where);
      }
      List<X509Certificate> chain = new ArrayList<>();
      for (Certificate certificate : store.getCertificateChain(chosen)) {
        chain.add((X509Certificate) certificate);
      }
      return new Identity(privateKey, chain, source);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read the key of " + where + ": " + e, e);
    }
  }

  private static Identity loaded(Source source) throws IOException {
    try {
      return source.load();
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage() + " in " + source.files(), e);
    }
  }

  /** Returns the private key. */
  public PrivateKey privateKey() {
    return privateKey;
  }

  /** Returns the certificate chain, leaf first. */
  public List<X509Certificate> certificates() {
    return certificates;
  }

  /** Returns when the leaf certificate expires. */
  public Instant notAfter() {
    return certificates.get(0).getNotAfter().toInstant();
  }

  /** Returns the files this identity was loaded from (empty when given as objects). */
  public List<Path> files() {
    return source == null ? List.of() : source.files();
  }

  /**
   * Reads this identity again from its files, or returns it unchanged when it was given as objects.
   *
   * @throws IOException if the files cannot be read or no longer hold a matching key and chain
   */
  public Identity reloaded() throws IOException {
    return source == null ? this : loaded(source);
  }

  @Override
  public String toString() {
    return "Identity["
        + certificates.get(0).getSubjectX500Principal().getName()
        + ", "
        + privateKey.getAlgorithm()
        + ", expires "
        + notAfter()
        + (source == null ? "" : ", from " + source.files())
        + "]";
  }
}
