package dev.inboard.mesh.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throw-away certificate authority for tests: EC P-256 keys, certificates valid for a day, PEM files. */
public final class TestPki {
  private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

  private final KeyPair caKeys;
  private final X509Certificate caCertificate;

  private TestPki(KeyPair caKeys, X509Certificate caCertificate) {
    this.caKeys = caKeys;
    this.caCertificate = caCertificate;
  }

  /** A new self-signed root CA. */
  public static TestPki newRoot(String commonName) {
    KeyPair keys = newKeyPair();
    X500Name name = new X500Name("CN=" + commonName);
    try {
      X509v3CertificateBuilder builder = builder(name, name, keys);
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
      builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()));
      return new TestPki(keys, sign(builder, keys.getPrivate()));
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public X509Certificate caCertificate() {
    return caCertificate;
  }

  /** Writes the CA certificate as PEM. */
  public Path writeCaCertificate(Path file) {
    return write(file, pem(caCertificate));
  }

  /**
   * A server certificate signed by this CA for the given DNS names (and {@code 127.0.0.1}), written to
   * {@code <dir>/cert-chain.pem} and {@code <dir>/key.pem} (PKCS#8).
   */
  public KeyFiles issueServer(Path dir, List<String> dnsNames) {
    KeyPair keys = newKeyPair();
    try {
      X509v3CertificateBuilder builder =
          builder(
              X500Name.getInstance(caCertificate.getSubjectX500Principal().getEncoded()),
              new X500Name("CN=" + dnsNames.get(0)),
              keys);
      GeneralName[] names = new GeneralName[dnsNames.size() + 1];
      for (int i = 0; i < dnsNames.size(); i++) {
        names[i] = new GeneralName(GeneralName.dNSName, dnsNames.get(i));
      }
      names[dnsNames.size()] = new GeneralName(GeneralName.iPAddress, "127.0.0.1");
      builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(
          Extension.extendedKeyUsage,
          false,
          new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      builder.addExtension(
          Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(caCertificate));
      X509Certificate certificate = sign(builder, caKeys.getPrivate());
      Files.createDirectories(dir);
      Path chain = write(dir.resolve("cert-chain.pem"), pem(certificate) + pem(caCertificate));
      Path key = write(dir.resolve("key.pem"), pkcs8(keys.getPrivate()));
      return new KeyFiles(chain, key);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A certificate chain file and its PKCS#8 private key file. */
  public record KeyFiles(Path certificateChain, Path privateKey) {}

  private static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(
        issuer,
        BigInteger.valueOf(SERIAL.incrementAndGet()),
        Date.from(now.minus(Duration.ofMinutes(5))),
        Date.from(now.plus(Duration.ofDays(1))),
        subject,
        keys.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
      throws GeneralSecurityException {
    try {
      ContentSigner contentSigner = new JcaContentSignerBuilder("SHA256withECDSA").build(signer);
      return new JcaX509CertificateConverter().getCertificate(builder.build(contentSigner));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static String pem(Object object) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static String pkcs8(PrivateKey key) {
    try {
      return pem(new JcaPKCS8Generator(key, null).generate());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path write(Path file, String content) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      return Files.writeString(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
