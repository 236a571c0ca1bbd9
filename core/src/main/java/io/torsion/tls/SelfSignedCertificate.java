package io.torsion.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A self-signed certificate (EC P-256, SHA-256) for development and tests: names the host names and
 * IP addresses it is valid for, and can be written as PEM for clients to trust ({@code curl
 * --cacert cert.pem}). Never for production, where a certificate authority signs.
 *
 * <pre>{@code
 * SelfSignedCertificate dev = SelfSignedCertificate.generate("localhost", "127.0.0.1", "::1");
 * reactor.listenSSL(8443, null, factory, TlsServerOptions.of(dev.identity()));
 * TlsClientOptions client = TlsClientOptions.builder().trust(dev.trustRoots()).build();
 * }</pre>
 */
public final class SelfSignedCertificate {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Duration DEFAULT_VALIDITY = Duration.ofDays(365);

  private final Identity identity;

  private SelfSignedCertificate(Identity identity) {
    this.identity = identity;
  }

  /**
   * Generates a key pair and a certificate valid for a year (from an hour ago) for {@code names}:
   * host names and IP address literals; the first is also its common name.
   */
  public static SelfSignedCertificate generate(String... names) {
    return generate(DEFAULT_VALIDITY, names);
  }

  /** Generates as {@link #generate(String...)}, valid for {@code validity} from an hour ago. */
  public static SelfSignedCertificate generate(Duration validity, String... names) {
    Objects.requireNonNull(validity, "validity");
    if (names.length == 0) {
      throw new IllegalArgumentException("a certificate needs at least one name");
    }
    ZonedDateTime from = ZonedDateTime.now(ZoneOffset.UTC).minusHours(1).withNano(0);
    return generate(from, from.plus(validity).plusHours(1), names);
  }

  /**
   * Generates a certificate valid from {@code notBefore} until {@code notAfter}: one already
   * expired, or not yet valid, tests how clients and expiry warnings react.
   */
  public static SelfSignedCertificate generate(
      ZonedDateTime notBefore, ZonedDateTime notAfter, String... names) {
    return make(null, notBefore, notAfter, names);
  }

  /**
   * Generates a certificate for {@code names} signed by this one, used as a development certificate
   * authority: its identity's chain is the new certificate, then this one. Clients that trust this
   * certificate ({@link #trustRoots()}) then check the new one's dates and names, as they would a
   * real authority's.
   */
  public SelfSignedCertificate issue(
      ZonedDateTime notBefore, ZonedDateTime notAfter, String... names) {
    return make(this, notBefore, notAfter, names);
  }

  private static SelfSignedCertificate make(
      SelfSignedCertificate issuer,
      ZonedDateTime notBefore,
      ZonedDateTime notAfter,
      String... names) {
    Objects.requireNonNull(notBefore, "notBefore");
    Objects.requireNonNull(notAfter, "notAfter");
    if (names.length == 0) {
      throw new IllegalArgumentException("a certificate needs at least one name");
    }
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair keys = generator.generateKeyPair();
      byte[] ecdsaWithSha256 = Der.sequence(Der.oid("1.2.840.10045.4.3.2"));
      byte[] subject =
          Der.sequence(Der.tlv(Der.SET, Der.sequence(Der.oid("2.5.4.3"), Der.utf8(names[0]))));
      byte[] issuerName =
          issuer == null ? subject : issuer.certificate().getSubjectX500Principal().getEncoded();
      byte[] serial = new byte[16];
      new SecureRandom().nextBytes(serial);
      serial[0] &= 0x7f; // positive
      serial[0] |= 0x40; // and no leading zero byte
      byte[] tbs =
          Der.sequence(
              Der.tlv(0xa0, Der.integer(2)), // v3
              Der.integer(serial),
              ecdsaWithSha256,
              issuerName,
              Der.sequence(Der.time(notBefore), Der.time(notAfter)),
              subject,
              keys.getPublic().getEncoded(),
              Der.tlv(
                  0xa3, Der.sequence(basicConstraints(issuer == null), subjectAltNames(names))));
      Signature signer = Signature.getInstance("SHA256withECDSA");
      signer.initSign(issuer == null ? keys.getPrivate() : issuer.identity.privateKey());
      signer.update(tbs);
      byte[] der = Der.sequence(tbs, ecdsaWithSha256, Der.bitString(signer.sign()));
      X509Certificate certificate = Pem.certificate(der, "the generated certificate");
      return new SelfSignedCertificate(
          issuer == null
              ? Identity.of(keys.getPrivate(), certificate)
              : Identity.of(keys.getPrivate(), certificate, issuer.certificate()));
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot generate a certificate: " + e, e);
    }
  }

  private static byte[] basicConstraints(boolean authority) {
    // Critical. A self-signed certificate is CA:TRUE, its own trust anchor for clients that load
    // it (and it may issue others); one it issued is CA:FALSE.
    return Der.sequence(
        Der.oid("2.5.29.19"),
        Der.tlv(Der.BOOLEAN, new byte[] {(byte) 0xff}),
        Der.tlv(
            Der.OCTET_STRING,
            authority
                ? Der.sequence(Der.tlv(Der.BOOLEAN, new byte[] {(byte) 0xff}))
                : Der.sequence()));
  }

  private static byte[] subjectAltNames(String... names) {
    List<byte[]> general = new ArrayList<>();
    for (String name : names) {
      Objects.requireNonNull(name, "name");
      if (IPV4.matcher(name).matches() || name.contains(":")) {
        try {
          general.add(Der.tlv(0x87, InetAddress.getByName(name).getAddress())); // iPAddress
        } catch (UnknownHostException e) {
          throw new IllegalArgumentException("not an IP address: " + name, e);
        }
      } else {
        general.add(
            Der.tlv(0x82, name.getBytes(java.nio.charset.StandardCharsets.US_ASCII))); // dNSName
      }
    }
    return Der.sequence(
        Der.oid("2.5.29.17"),
        Der.tlv(Der.OCTET_STRING, Der.sequence(general.toArray(new byte[0][]))));
  }

  /** Returns the key and certificate, for {@link TlsServerOptions} or a client certificate. */
  public Identity identity() {
    return identity;
  }

  /** Returns the certificate. */
  public X509Certificate certificate() {
    return identity.certificates().get(0);
  }

  /** Returns trust in this certificate alone, for a client of a server that uses it. */
  public TrustRoots trustRoots() {
    return TrustRoots.of(certificate());
  }

  /**
   * Writes the certificate and the PKCS#8 key as PEM files (the key readable by its owner only,
   * where the file system has POSIX permissions).
   */
  public void writePem(Path certificateFile, Path keyFile) throws IOException {
    try {
      Files.writeString(certificateFile, Pem.encode("CERTIFICATE", certificate().getEncoded()));
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IOException("cannot encode the certificate: " + e, e);
    }
    Files.deleteIfExists(keyFile);
    Files.createFile(keyFile);
    try {
      Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException notPosix) {
      // Windows: the file keeps its directory's permissions
    }
    Files.writeString(keyFile, Pem.encode("PRIVATE KEY", identity.privateKey().getEncoded()));
  }

  @Override
  public String toString() {
    return "SelfSignedCertificate[" + certificate().getSubjectX500Principal().getName() + "]";
  }
}
