package io.spidernet.spiderpool.controller.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.testsupport.kube.KubeCluster;
import io.spidernet.spiderpool.testsupport.kube.LocalCluster;
import io.spidernet.spiderpool.testsupport.kube.TestNamespace;
import io.spidernet.spiderpool.webhook.rules.WebhookConfig;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Certificates with lifetimes of seconds: the serving certificate is renewed and the CA rotated
 * while the real API server keeps calling the webhooks, and not one admission fails meanwhile.
 */
@ExtendWith(KubeCluster.class)
class CertificatesIT {
  @Test
  void renewalAndCaRotationNeverFailAnAdmission(LocalCluster cluster, KubernetesClient client, TestNamespace ns) throws Exception {
    Map<String, String> env = Map.of("SPIDERPOOL_WEBHOOK_CERT_VALIDITY", "6", "SPIDERPOOL_WEBHOOK_CA_VALIDITY", "24",
        "SPIDERPOOL_WEBHOOK_CERT_CHECK_PERIOD", "1");
    try (Controllers controllers = Controllers.start(cluster, client, ns.name(), env, WebhookConfig.defaults())) {
      String firstCa = secret(client, ns).getData().get("ca.crt");
      Set<String> servedSerials = new LinkedHashSet<>();
      Set<String> servedIssuers = new LinkedHashSet<>();
      List<String> failures = new ArrayList<>();
      int admitted = 0;
      long end = System.nanoTime() + 27_000_000_000L;
      for (int i = 0; System.nanoTime() < end; i++) {
        X509Certificate served = served(controllers.port());
        servedSerials.add(served.getSerialNumber().toString(16));
        servedIssuers.add(served.getIssuerX500Principal().getName());
        try {
          SpiderIPPool pool = client.getKubernetesSerialization().unmarshal("apiVersion: spiderpool.spidernet.io/v2beta1\n"
              + "kind: SpiderIPPool\nmetadata: {name: rotation-" + i + "}\nspec: {subnet: 10.99.0.0/24}\n", SpiderIPPool.class);
          SpiderIPPool result = client.resource(pool).dryRun().create();
          assertThat(result.getSpec().ipVersion).as("the mutating webhook ran").isEqualTo(4L);
          admitted++;
        } catch (RuntimeException e) {
          failures.add(e.getMessage());
        }
        Thread.sleep(150);
      }
      assertThat(failures).as("admissions that failed during renewal and rotation").isEmpty();
      assertThat(admitted).isGreaterThan(100);
      assertThat(servedSerials).as("serving certificates seen").hasSizeGreaterThanOrEqualTo(4);
      assertThat(servedIssuers).as("the CA was rotated").hasSize(2);
      Secret end2 = secret(client, ns);
      assertThat(end2.getData().get("ca.crt")).isNotEqualTo(firstCa);
      assertThat(end2.getData()).as("the old CA is dropped at the end of the rotation").doesNotContainKey("ca-previous.crt");
      String bundle = new String(Base64.getDecoder().decode(AdmissionIT.caBundle(client)), StandardCharsets.UTF_8);
      assertThat(bundle).isEqualTo(new String(Base64.getDecoder().decode(end2.getData().get("ca.crt")), StandardCharsets.UTF_8));
    }
  }

  private static Secret secret(KubernetesClient client, TestNamespace ns) {
    return client.secrets().inNamespace(ns.name()).withName("spiderpool-controller-server-certs").get();
  }

  /** The certificate the webhook port presents now (whoever signed it). */
  private static X509Certificate served(int port) throws Exception {
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, new TrustManager[] {new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }}, null);
    try (Socket raw = new Socket("127.0.0.1", port); SSLSocket socket = (SSLSocket) tls.getSocketFactory()
        .createSocket(raw, "127.0.0.1", port, true)) {
      socket.startHandshake();
      return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }
  }
}
