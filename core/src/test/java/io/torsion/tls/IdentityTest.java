package io.torsion.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys and certificates from PEM files and key stores, as users have them. */
class IdentityTest {
  private static final SelfSignedCertificate SITE =
      SelfSignedCertificate.generate("localhost", "127.0.0.1", "::1");

  @TempDir Path dir;

  @Test
  void aPkcs8KeyAndItsChainLoadFromPemAndRememberTheirFiles() throws IOException {
    SITE.writePem(dir.resolve("cert.pem"), dir.resolve("key.pem"));
    Identity loaded = Identity.fromPem(dir.resolve("cert.pem"), dir.resolve("key.pem"));
    assertThat(loaded.privateKey()).isEqualTo(SITE.identity().privateKey());
    assertThat(loaded.certificates()).containsExactly(SITE.certificate());
    assertThat(loaded.files()).containsExactly(dir.resolve("cert.pem"), dir.resolve("key.pem"));
    assertThat(Files.readString(dir.resolve("key.pem"))).startsWith("-----BEGIN PRIVATE KEY-----");
  }

  @Test
  void aSelfSignedCertificateNamesItsHostsAndAddressesAndIsItsOwnAuthority() throws Exception {
    assertThat(SITE.certificate().getSubjectAlternativeNames())
        .extracting(name -> name.get(1).toString())
        .containsExactly("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1");
    assertThat(SITE.certificate().getBasicConstraints()).isGreaterThanOrEqualTo(0);
    SITE.certificate().verify(SITE.certificate().getPublicKey());
    SelfSignedCertificate leaf =
        SITE.issue(
            ZonedDateTime.now(ZoneOffset.UTC).minusDays(1),
            ZonedDateTime.now(ZoneOffset.UTC).plusDays(1),
            "api.example.test");
    leaf.certificate().verify(SITE.certificate().getPublicKey());
    assertThat(leaf.identity().certificates())
        .containsExactly(leaf.certificate(), SITE.certificate());
    assertThat(leaf.certificate().getBasicConstraints()).isEqualTo(-1);
  }

  @Test
  void keysThatOpensslWritesLoad_pkcs1RsaAndEncryptedPkcs8() throws Exception {
    Path rsa = dir.resolve("rsa.pem");
    openssl("genrsa", "-traditional", "-out", rsa.toString(), "2048");
    assertThat(Files.readString(rsa)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
    Path cert = dir.resolve("rsa-cert.pem");
    openssl(
        "req",
        "-new",
        "-x509",
        "-key",
        rsa.toString(),
        "-out",
        cert.toString(),
        "-days",
        "2",
        "-subj",
        "/CN=localhost");
    Identity fromPkcs1 = Identity.fromPem(cert, rsa);
    assertThat(fromPkcs1.privateKey().getAlgorithm()).isEqualTo("RSA");
    Path encrypted = dir.resolve("encrypted.pem");
    openssl(
        "pkcs8",
        "-topk8",
        "-in",
        rsa.toString(),
        "-out",
        encrypted.toString(),
        "-v2",
        "aes-256-cbc",
        "-passout",
        "pass:hunter2");
    Identity fromEncrypted = Identity.fromPem(cert, encrypted, "hunter2".toCharArray());
    assertThat(fromEncrypted.privateKey().getEncoded())
        .isEqualTo(fromPkcs1.privateKey().getEncoded());
    assertThatThrownBy(() -> Identity.fromPem(cert, encrypted))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("encrypted");
    assertThatThrownBy(() -> Identity.fromPem(cert, encrypted, "wrong".toCharArray()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("wrong password");
  }

  private static void openssl(String... arguments) throws Exception {
    String[] command = new String[arguments.length + 1];
    command[0] = "openssl";
    System.arraycopy(arguments, 0, command, 1, arguments.length);
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException missing) {
      Assumptions.abort("openssl is not installed here: " + missing.getMessage());
      return;
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("openssl said: " + output).isZero();
  }

  @Test
  void aKeyThatIsNotTheCertificatesOrAFileWithoutOneIsRefusedNamingTheFile() throws IOException {
    SelfSignedCertificate other = SelfSignedCertificate.generate("other");
    SITE.writePem(dir.resolve("cert.pem"), dir.resolve("key.pem"));
    other.writePem(dir.resolve("other-cert.pem"), dir.resolve("other-key.pem"));
    assertThatThrownBy(
            () -> Identity.fromPem(dir.resolve("cert.pem"), dir.resolve("other-key.pem")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("does not match")
        .hasMessageContaining("other-key.pem");
    Files.writeString(dir.resolve("empty.pem"), "nothing here\n");
    assertThatThrownBy(() -> Identity.fromPem(dir.resolve("empty.pem"), dir.resolve("key.pem")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no certificate in")
        .hasMessageContaining("empty.pem");
    assertThatThrownBy(() -> Identity.fromPem(dir.resolve("cert.pem"), dir.resolve("missing.pem")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("missing.pem");
  }

  @Test
  void aPkcs12KeyStoreLoadsItsOnlyKeyEntry() throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry(
        "site",
        SITE.identity().privateKey(),
        "pw".toCharArray(),
        new Certificate[] {SITE.certificate()});
    Path file = dir.resolve("site.p12");
    try (var out = Files.newOutputStream(file)) {
      store.store(out, "pw".toCharArray());
    }
    Identity loaded = Identity.fromKeyStore(file, "pw".toCharArray(), null);
    assertThat(loaded.certificates()).containsExactly(SITE.certificate());
    assertThat(loaded.reloaded().privateKey()).isEqualTo(SITE.identity().privateKey());
  }

  @Test
  void trustRootsComeFromPemFiles() throws IOException {
    SITE.writePem(dir.resolve("cert.pem"), dir.resolve("key.pem"));
    assertThat(TrustRoots.fromPem(dir.resolve("cert.pem")).toString())
        .contains("1 certificate(s) from");
    assertThat(TrustRoots.jdkDefault().toString()).contains("JDK");
  }

  @Test
  void aForcedEngineThatIsNotHereIsAClearErrorNotAFallback() {
    assertThatThrownBy(() -> TlsServerOptions.builder(SITE.identity()).engine("openssl").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("torsion-tls-openssl");
    assertThat(TlsServerOptions.builder(SITE.identity()).engine("jdk").build().engine())
        .isEqualTo("jdk");
    assertThat(TlsClientOptions.defaults().engine()).isEqualTo("jdk");
    assertThat(TlsClientOptions.defaults().hostnameVerification()).isTrue();
  }

  @Test
  void optionsCheckTheirArguments() {
    assertThatThrownBy(
            () ->
                TlsServerOptions.builder(SITE.identity())
                    .serverName("a.*.example", SITE.identity()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a.*.example");
    assertThatThrownBy(
            () ->
                TlsServerOptions.builder(SITE.identity())
                    .clientAuth(TlsServerOptions.ClientAuth.REQUIRE, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> TlsServerOptions.builder(SITE.identity()).handshakeTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
