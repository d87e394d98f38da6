package io.spidernet.spiderpool.webhook.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spidernet.spiderpool.webhook.server.ServingCertificate;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The provided and certmanager modes: the mounted files, re-read so that a renewed Secret is served. */
class ProvidedCertificatesTest {
  @Test
  void readsTheMountedFilesAgainOnEveryCheck(@TempDir Path dir) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      ProvidedCertificates provided = new ProvidedCertificates(vertx, dir);
      assertThatThrownBy(() -> provided.current().await()).hasMessageContaining("cannot read the webhook certificate "
          + dir.resolve("tls.crt"));
      CertificateAuthority ca = CertificateAuthority.create("ca", Duration.ofDays(1));
      write(dir, ca.issue("a", List.of("svc"), List.of(), Duration.ofHours(1)));
      ServingCertificate first = provided.current().await();
      assertThat(Pem.certificate(first.certificatePem()).getSubjectX500Principal().getName()).isEqualTo("CN=a");
      write(dir, ca.issue("b", List.of("svc"), List.of(), Duration.ofHours(1)));
      assertThat(Pem.certificate(provided.current().await().certificatePem()).getSubjectX500Principal().getName())
          .isEqualTo("CN=b");
      Files.writeString(dir.resolve("tls.key"), "not a key");
      assertThatThrownBy(() -> provided.current().await()).hasMessageContaining("cannot be read");
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void aServingCertificateNamesTheServiceAndIsSignedByItsCa() throws Exception {
    CertificateAuthority ca = CertificateAuthority.create("ca", Duration.ofDays(1));
    CertificateAuthority.Issued issued = ca.issue("svc.ns.svc", List.of("svc", "svc.ns.svc"), List.of("127.0.0.1"),
        Duration.ofDays(30));
    assertThat(ca.signed(issued.certificate())).isTrue();
    assertThat(CertificateAuthority.create("other", Duration.ofDays(1)).signed(issued.certificate())).isFalse();
    assertThat(issued.certificate().getSubjectAlternativeNames()).extracting(san -> String.valueOf(san.get(1)))
        .containsExactly("svc", "svc.ns.svc", "127.0.0.1");
    assertThat(issued.certificate().getNotAfter()).as("capped at the CA's end").isBeforeOrEqualTo(ca.certificate().getNotAfter());
    assertThat(Pem.privateKey(Pem.encode(issued.key())).getAlgorithm()).isEqualTo("EC");
  }

  private static void write(Path dir, CertificateAuthority.Issued issued) throws Exception {
    Files.writeString(dir.resolve("tls.crt"), Pem.encode(issued.certificate()));
    Files.writeString(dir.resolve("tls.key"), Pem.encode(issued.key()));
  }
}
