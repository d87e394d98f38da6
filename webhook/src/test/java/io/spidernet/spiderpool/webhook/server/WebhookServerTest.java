package io.spidernet.spiderpool.webhook.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.spidernet.spiderpool.webhook.review.ObjectTrees;
import io.spidernet.spiderpool.webhook.review.ReviewCodec;
import io.spidernet.spiderpool.webhook.rules.PoolWebhook;
import io.spidernet.spiderpool.webhook.rules.WebhookConfig;
import io.spidernet.spiderpool.webhook.tls.CertificateAuthority;
import io.spidernet.spiderpool.webhook.tls.Pem;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTPS server: Spiderpool's paths, answers for every kind of body, and a certificate swapped without a restart. */
class WebhookServerTest {
  private static final String PATH = "/mutate-spiderpool-spidernet-io-v2beta1-spiderippool";
  private Vertx vertx;
  private WebhookServer server;
  private CertificateAuthority ca;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    ca = CertificateAuthority.create("test-ca", Duration.ofDays(1));
    KubernetesSerialization serialization = new KubernetesSerialization();
    ObjectTrees trees = new ObjectTrees(serialization);
    PoolWebhook pools = new PoolWebhook(WebhookConfig.defaults(), new EmptyView(), trees);
    server = WebhookServer.start(vertx, "127.0.0.1", 0, serving(ca), new ReviewCodec(serialization), List.of(pools))
        .await();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private static ServingCertificate serving(CertificateAuthority ca) {
    CertificateAuthority.Issued issued = ca.issue("webhook", List.of("localhost"), List.of("127.0.0.1"), Duration.ofHours(1));
    return new ServingCertificate(Pem.encode(issued.certificate()), Pem.encode(issued.key()));
  }

  /** An answer: status and body. */
  record Answer(int statusCode, Buffer body) {
    JsonObject bodyAsJsonObject() {
      return body.toJsonObject();
    }
  }

  private Answer call(CertificateAuthority trusted, HttpMethod method, String path, String body) {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setTrustOptions(new PemTrustOptions()
        .addCertValue(Buffer.buffer(Pem.encode(trusted.certificate())))).setKeepAlive(false));
    try {
      return client.request(method, server.actualPort(), "127.0.0.1", path)
          .compose(req -> req.send(Buffer.buffer(body)))
          .compose(resp -> resp.body().map(b -> new Answer(resp.statusCode(), b))).await();
    } finally {
      client.close();
    }
  }

  private Answer post(CertificateAuthority trusted, String path, String body) {
    return call(trusted, HttpMethod.POST, path, body);
  }

  private Answer health(CertificateAuthority trusted) {
    return call(trusted, HttpMethod.GET, WebhookServer.HEALTH_PATH, "");
  }

  private static String review(String uid, String kind, String object) {
    return "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"" + uid + "\","
        + "\"kind\":{\"group\":\"spiderpool.spidernet.io\",\"version\":\"v2beta1\",\"kind\":\"" + kind + "\"},"
        + "\"operation\":\"CREATE\",\"name\":\"p\",\"object\":" + object + "}}";
  }

  @Test
  void aPoolIsDefaultedThroughAJsonPatch() {
    Answer r = post(ca, PATH, review("u-1", "SpiderIPPool",
        "{\"apiVersion\":\"spiderpool.spidernet.io/v2beta1\",\"kind\":\"SpiderIPPool\",\"metadata\":{\"name\":\"p\"},"
            + "\"spec\":{\"subnet\":\"10.6.0.0/16\"}}"));
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject response = r.bodyAsJsonObject().getJsonObject("response");
    assertThat(response.getString("uid")).isEqualTo("u-1");
    assertThat(response.getBoolean("allowed")).isTrue();
    assertThat(response.getString("patchType")).isEqualTo("JSONPatch");
    assertThat(new String(Base64.getDecoder().decode(response.getString("patch")), StandardCharsets.UTF_8))
        .contains("\"/spec/ipVersion\"", "\"/metadata/finalizers\"");
  }

  @Test
  void malformedReviewsAreAnsweredNotCrashedOn() {
    assertThat(post(ca, PATH, "{not json").statusCode()).isEqualTo(400);
    assertThat(post(ca, PATH, "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{}}")
        .bodyAsJsonObject().getString("message")).contains("no request.uid");
    JsonObject wrongKind = post(ca, PATH, review("u-2", "SpiderSubnet", "{}")).bodyAsJsonObject().getJsonObject("response");
    assertThat(wrongKind.getString("uid")).isEqualTo("u-2");
    assertThat(wrongKind.getBoolean("allowed")).isFalse();
    assertThat(wrongKind.getJsonObject("status").getString("message"))
        .isEqualTo("this webhook admits SpiderIPPool.spiderpool.spidernet.io, not SpiderSubnet.spiderpool.spidernet.io");
    assertThat(post(ca, "/validate-nothing", "{}").statusCode()).isEqualTo(404);
    Answer deep = post(ca, PATH, review("u-3", "SpiderIPPool", "[".repeat(3000) + "]".repeat(3000)));
    assertThat(deep.statusCode()).isEqualTo(400);
    assertThat(deep.bodyAsJsonObject().getString("message")).startsWith("the body is not an AdmissionReview");
    assertThat(health(ca).statusCode()).isEqualTo(200);
  }

  @Test
  void aNewCertificateIsServedWithoutARestart() {
    CertificateAuthority next = CertificateAuthority.create("next-ca", Duration.ofDays(1));
    assertThat(server.updateCertificate(serving(next)).await()).isTrue();
    assertThat(health(next).statusCode()).isEqualTo(200);
    assertThat(server.updateCertificate(serving(next)).await()).as("a second renewal is taken too").isTrue();
  }

  @Test
  void onlyTheCurrentCaIsAccepted() {
    CertificateAuthority other = CertificateAuthority.create("other", Duration.ofDays(1));
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> health(other))
        .hasMessageContaining("SSL");
  }
}
