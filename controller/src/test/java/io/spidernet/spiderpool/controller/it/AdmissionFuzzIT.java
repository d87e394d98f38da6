package io.spidernet.spiderpool.controller.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.spidernet.spiderpool.testsupport.kube.KubeCluster;
import io.spidernet.spiderpool.testsupport.kube.LocalCluster;
import io.spidernet.spiderpool.testsupport.kube.TestNamespace;
import io.spidernet.spiderpool.webhook.rules.WebhookConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * 10 000 generated malformed or hostile AdmissionReviews straight to the HTTPS port: every answer
 * is a well-formed refusal echoing the uid (or a 400/413 with a JSON message when there is no uid
 * or the body is too large), the server keeps answering valid reviews, and memory stays bounded.
 */
@ExtendWith(KubeCluster.class)
class AdmissionFuzzIT {
  private static final String[] KINDS = {"spiderippool", "spidersubnet", "spiderreservedip", "spidercoordinator",
      "spidermultusconfig"};
  private static final String[] KIND_NAMES = {"SpiderIPPool", "SpiderSubnet", "SpiderReservedIP", "SpiderCoordinator",
      "SpiderMultusConfig"};

  record Sent(String path, String uid, Buffer body) {}

  @Test
  void hostileReviewsAreAllAnswered(LocalCluster cluster, KubernetesClient client, TestNamespace ns) throws Exception {
    try (Controllers controllers = Controllers.start(cluster, client, ns.name(), Map.of(), WebhookConfig.defaults())) {
      Vertx vertx = Vertx.vertx();
      HttpClient http = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false),
          new PoolOptions().setHttp1MaxSize(16));
      Random random = new Random(42);
      long heapBefore = heapAfterGc();
      ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
      Semaphore inFlight = new Semaphore(16);
      java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(10_000);
      int[] statuses = new int[600];
      for (int i = 0; i < 10_000; i++) {
        Sent sent = generate(random, i);
        inFlight.acquire();
        http.request(HttpMethod.POST, controllers.port(), "127.0.0.1", sent.path())
            .compose(req -> req.putHeader("content-type", "application/json").send(sent.body())
                // Nested, so the body handler is set on the response's own context before any of it arrives.
                .compose(resp -> resp.body().map(b -> {
              synchronized (statuses) {
                statuses[resp.statusCode()]++;
              }
              String problem = check(sent, resp.statusCode(), b);
              if (problem != null) {
                problems.add(problem);
              }
              return null;
            })))
            .onFailure(e -> problems.add("#" + sent.uid() + " " + sent.path() + ": " + e))
            .onComplete(x -> {
              inFlight.release();
              done.countDown();
            });
      }
      assertThat(done.await(5, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
      long heapAfter = heapAfterGc();
      assertThat(problems).as("answers that were not well-formed").isEmpty();
      System.out.printf("fuzz: 200=%d 400=%d 413=%d, heap after GC %d -> %d MiB%n", statuses[200], statuses[400],
          statuses[413], heapBefore >> 20, heapAfter >> 20);
      assertThat(statuses[200]).isGreaterThan(5000);
      assertThat(heapAfter - heapBefore).as("heap growth").isLessThan(64L << 20);
      Buffer valid = Buffer.buffer(review("ok", "SpiderIPPool", "v2beta1", "CREATE",
          "{\"apiVersion\":\"spiderpool.spidernet.io/v2beta1\",\"kind\":\"SpiderIPPool\",\"metadata\":{\"name\":\"ok\"},"
              + "\"spec\":{\"subnet\":\"10.98.0.0/24\"}}"));
      JsonObject answer = http.request(HttpMethod.POST, controllers.port(), "127.0.0.1",
              "/mutate-spiderpool-spidernet-io-v2beta1-spiderippool")
          .compose(req -> req.send(valid).compose(resp -> resp.body())).await().toJsonObject();
      assertThat(answer.getJsonObject("response").getBoolean("allowed")).isTrue();
      assertThat(answer.getJsonObject("response").getString("patch")).isNotEmpty();
      http.close();
      vertx.close();
    }
  }

  private static String check(Sent sent, int status, Buffer body) {
    JsonObject json;
    try {
      json = body.toJsonObject();
    } catch (DecodeException | ClassCastException e) {
      return "#" + sent.uid() + " " + sent.path() + ": sent " + sent.body().length() + " bytes, status " + status + ", answer is not JSON: " + body.toString().substring(0, Math.min(200, body.length()));
    }
    if (status == 200) {
      JsonObject response = json.getJsonObject("response");
      if (response == null || !sent.uid().equals(response.getString("uid")) || response.getBoolean("allowed") == null) {
        return "#" + sent.uid() + ": 200 without a response echoing the uid: " + json.encode();
      }
      if (!response.getBoolean("allowed") && (response.getJsonObject("status") == null
          || response.getJsonObject("status").getString("message", "").isEmpty())) {
        return "#" + sent.uid() + ": a refusal without a message: " + json.encode();
      }
      return null;
    }
    if ((status == 400 || status == 413) && !json.getString("message", "").isEmpty()) {
      return null;
    }
    return "#" + sent.uid() + " " + sent.path() + ": status " + status + " " + json.encode();
  }

  private static Sent generate(Random r, int i) {
    int k = r.nextInt(KINDS.length);
    String path = "/" + (r.nextBoolean() ? "mutate" : "validate") + "-spiderpool-spidernet-io-v2beta1-" + KINDS[k];
    String uid = "fuzz-" + i;
    String kind = KIND_NAMES[k];
    String body = switch (r.nextInt(14)) {
      case 0 -> randomBytes(r);
      case 1 -> review(uid, kind, "v2beta1", "CREATE", "{\"spec\":").substring(0, 40 + r.nextInt(60));
      case 2 -> List.of("[]", "5", "\"review\"", "null", "{}", "true").get(r.nextInt(6));
      case 3 -> review("", kind, "v2beta1", "CREATE", "{}");
      case 4 -> review(uid, kind, "v2beta1", "CREATE", "{}").replace("admission.k8s.io/v1", "admission.k8s.io/v1beta1");
      case 5 -> review(uid, KIND_NAMES[(k + 1) % KINDS.length], "v2beta1", "CREATE", object(kind, "{}"));
      case 6 -> review(uid, kind, "v1", "UPDATE", object(kind, "{}"));
      case 7 -> review(uid, kind, "v2beta1", List.of("CREATE", "UPDATE", "DELETE", "PATCH", "").get(r.nextInt(5)),
          object(kind, List.of("{\"ips\":5}", "{\"subnet\":{}}", "[]", "{\"subnet\":\"10.0.0.0/33\"}", "{\"ipVersion\":\"four\"}",
              "{\"master\":[1,2]}", "{\"podAffinity\":\"x\"}", "{\"coordinator\":{\"vethMTU\":\"x\"}}").get(r.nextInt(8))));
      case 8 -> review(uid, kind, "v2beta1", "CREATE", object(kind, "{\"subnet\":\"10.0.0.0/8\",\"ips\":" + manyIPs(i % 10 == 0 ? 20_000 : 500) + "}"));
      case 9 -> review(uid, kind, "v2beta1", "CREATE", "[".repeat(3000) + "]".repeat(3000));
      case 10 -> review(uid, kind, "v2beta1", "CREATE", object(kind, "{\"subnet\":\"" + "9".repeat(i % 10 == 0 ? 1 << 20 : 1 << 12) + "\"}"));
      case 11 -> review(uid, kind, "v2beta1", "UPDATE", object(kind, "{\"subnet\":\"10.0.0.0/24\"}")).replace("\"object\"",
          "\"oldObject\":42,\"object\"");
      case 12 -> i % 50 == 0 ? "{\"pad\":\"" + "x".repeat(9 << 20) + "\"}" : review(uid, kind, "v2beta1", "DELETE", "null");
      default -> review(uid, kind, "v2beta1", "CREATE", object(kind, "{\"subnet\":\"10." + r.nextInt(256) + ".0.0/16\","
          + "\"ips\":[\"10.0.0.1-10.0.0.0\",\"x\"],\"gateway\":\"::1\",\"routes\":[{\"dst\":\"0.0.0.0/0\"}]}"));
    };
    return new Sent(path, uid, Buffer.buffer(body));
  }

  private static String object(String kind, String spec) {
    return "{\"apiVersion\":\"spiderpool.spidernet.io/v2beta1\",\"kind\":\"" + kind + "\",\"metadata\":{\"name\":\"f\","
        + "\"namespace\":\"kube-system\"},\"spec\":" + spec + "}";
  }

  static String review(String uid, String kind, String version, String operation, String object) {
    return "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"" + uid + "\","
        + "\"kind\":{\"group\":\"spiderpool.spidernet.io\",\"version\":\"" + version + "\",\"kind\":\"" + kind + "\"},"
        + "\"operation\":\"" + operation + "\",\"name\":\"f\",\"namespace\":\"kube-system\",\"object\":" + object + "}}";
  }

  private static String manyIPs(int n) {
    StringBuilder s = new StringBuilder("[");
    for (int i = 0; i < n; i++) {
      s.append(i == 0 ? "" : ",").append("\"10.").append((i >> 16) & 255).append('.').append((i >> 8) & 255).append('.')
          .append(i & 255).append('"');
    }
    return s.append(']').toString();
  }

  private static String randomBytes(Random r) {
    byte[] b = new byte[1 + r.nextInt(512)];
    r.nextBytes(b);
    return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  private static long heapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
