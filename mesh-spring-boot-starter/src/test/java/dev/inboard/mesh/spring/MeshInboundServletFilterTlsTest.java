package dev.inboard.mesh.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.mesh.inbound.InboundRequest;
import dev.inboard.mesh.testing.TestPki;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServer;

/** The servlet filter behind real mutual TLS in Tomcat: the chain sees the certificate chain the peer presented. */
class MeshInboundServletFilterTlsTest {
  final RecordingStages stages = new RecordingStages();
  WebServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop();
    }
  }

  @Test
  void mutualTls_peerCertificateChainReachesTheStages(@TempDir Path dir) throws Exception {
    TestPki pki = TestPki.newRoot("mesh test root");
    Path ca = pki.writeCaCertificate(dir.resolve("ca.pem"));
    TestPki.KeyFiles serverKeys = pki.issueServer(dir.resolve("server"), List.of("frontend.default.svc"));
    TestPki.KeyFiles clientKeys = pki.issueServer(dir.resolve("client"), List.of("productpage.default.svc"));

    Ssl ssl = new Ssl();
    ssl.setCertificate(serverKeys.certificateChain().toUri().toString());
    ssl.setCertificatePrivateKey(serverKeys.privateKey().toUri().toString());
    ssl.setTrustCertificate(ca.toUri().toString());
    ssl.setClientAuth(Ssl.ClientAuth.NEED);
    TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory(0);
    factory.setAddress(InetAddress.getLoopbackAddress());
    factory.setSsl(ssl);
    server = factory.getWebServer(context -> {
      context.addFilter("mesh", new MeshInboundServletFilter(stages.chain()))
          .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
      context.addServlet("app", new HttpServlet() {
        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) {
          response.setStatus(204);
        }
      }).addMapping("/");
    });
    server.start();

    SslBundle client = SslBundle.of(new PemSslStoreBundle(
        PemSslStoreDetails.forCertificate(clientKeys.certificateChain().toUri().toString())
            .withPrivateKey(clientKeys.privateKey().toUri().toString()),
        PemSslStoreDetails.forCertificate(ca.toUri().toString())));
    HttpClient http = HttpClient.newBuilder().sslContext(client.createSslContext()).build();
    HttpResponse<Void> response = http.send(
        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.getPort() + "/ratings/1")).build(),
        HttpResponse.BodyHandlers.discarding());

    assertThat(response.statusCode()).isEqualTo(204);
    InboundRequest seen = stages.requests.get(0);
    assertThat(seen.scheme()).isEqualTo("https");
    X509Certificate peer = seen.peerCertificate().orElseThrow();
    assertThat(peer.getSubjectX500Principal().getName()).isEqualTo("CN=productpage.default.svc");
    assertThat(peer.getIssuerX500Principal()).isEqualTo(pki.caCertificate().getSubjectX500Principal());
    assertThat(stages.seen).containsExactly("peer /ratings/1", "authz /ratings/1", "telemetry /ratings/1");
  }
}
