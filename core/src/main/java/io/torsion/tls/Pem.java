package io.torsion.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Reads PEM files: certificates, PKCS#8 private keys (plain or encrypted) and PKCS#1 RSA keys; and
 * writes certificates and PKCS#8 keys.
 */
final class Pem {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)\\s*-----END \\1-----");
  private static final String[] KEY_ALGORITHMS = {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS"};
  private static final String PBES2_OID = "1.2.840.113549.1.5.13";

  private Pem() {}

  /** One block: its label (such as {@code CERTIFICATE}) and its decoded bytes. */
  record Block(String label, byte[] der) {}

  static List<Block> blocks(String text) {
    List<Block> blocks = new ArrayList<>();
    Matcher matcher = BLOCK.matcher(text);
    while (matcher.find()) {
      blocks.add(
          new Block(matcher.group(1), Base64.getMimeDecoder().decode(matcher.group(2).trim())));
    }
    return blocks;
  }

  static String read(Path file, String what) throws IOException {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IOException("cannot read the " + what + " " + file + ": " + e, e);
    }
  }

  static List<X509Certificate> certificates(Path file) throws IOException {
    List<X509Certificate> certificates = new ArrayList<>();
    for (Block block : blocks(read(file, "certificate file"))) {
      if (block.label().equals("CERTIFICATE") || block.label().equals("TRUSTED CERTIFICATE")) {
        certificates.add(certificate(block.der(), file));
      }
    }
    if (certificates.isEmpty()) {
      throw new IOException(
          "no certificate in " + file + " (expected PEM: -----BEGIN CERTIFICATE-----)");
    }
    return certificates;
  }

  static X509Certificate certificate(byte[] der, Object source) throws IOException {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException e) {
      throw new IOException("a certificate in " + source + " is malformed: " + e.getMessage(), e);
    }
  }

  static PrivateKey privateKey(Path file, char[] password) throws IOException {
    for (Block block : blocks(read(file, "key file"))) {
      switch (block.label()) {
        case "PRIVATE KEY":
          return pkcs8(block.der(), file);
        case "RSA PRIVATE KEY":
          return pkcs8(Der.pkcs1ToPkcs8(block.der()), file);
        case "ENCRYPTED PRIVATE KEY":
          if (password == null) {
            throw new IOException("the key in " + file + " is encrypted: give its password");
          }
          return pkcs8(decrypt(block.der(), password, file), file);
        case "EC PRIVATE KEY":
          throw new IOException(
              "the key in "
                  + file
                  + " is a SEC1 EC key; convert it to PKCS#8: openssl pkcs8 -topk8 -nocrypt -in "
                  + file.getFileName());
        default:
          if (block.label().endsWith("PRIVATE KEY")) {
            throw new IOException(
                "unsupported key type "
                    + block.label()
                    + " in "
                    + file
                    + "; convert it to PKCS#8 (openssl pkcs8 -topk8)");
          }
      }
    }
    throw new IOException("no private key in " + file + " (expected PEM: PKCS#8 PRIVATE KEY)");
  }

  private static byte[] decrypt(byte[] der, char[] password, Path file) throws IOException {
    try {
      EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
      AlgorithmParameters parameters = info.getAlgParameters();
      String algorithm = info.getAlgName();
      if (algorithm.equals(PBES2_OID) || algorithm.equals("PBES2")) {
        algorithm = parameters.toString(); // such as PBEWithHmacSHA256AndAES_256
      }
      SecretKeyFactory keys = SecretKeyFactory.getInstance(algorithm);
      Cipher cipher = Cipher.getInstance(algorithm);
      cipher.init(Cipher.DECRYPT_MODE, keys.generateSecret(new PBEKeySpec(password)), parameters);
      return info.getKeySpec(cipher).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IOException(
          "cannot decrypt the key in " + file + " (wrong password?): " + e.getMessage(), e);
    }
  }

  private static PrivateKey pkcs8(byte[] der, Path file) throws IOException {
    for (String algorithm : KEY_ALGORITHMS) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException tryNext) {
        // the next algorithm
      }
    }
    throw new IOException("the key in " + file + " is not an RSA, EC or EdDSA PKCS#8 key");
  }

  static String encode(String label, byte[] der) {
    return "-----BEGIN "
        + label
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + label
        + "-----\n";
  }
}
