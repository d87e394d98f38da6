package io.spidernet.spiderpool.controller.bench;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.controller.it.ControllerProcess;
import io.spidernet.spiderpool.testsupport.ProcessCpu;
import io.spidernet.spiderpool.testsupport.kube.Crds;
import io.spidernet.spiderpool.testsupport.kube.KubeCluster;
import io.spidernet.spiderpool.testsupport.kube.LocalCluster;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Admission cost, on the real API server: {@code pools} pools exist, then {@code pools} more are
 * created one by one through the API server with our webhooks on, and the same number with them off
 * (same run, same server); then AdmissionReviews go straight to the HTTPS port, one at a time for
 * latency and 16 at a time for throughput. Last line:
 * {@code bench-webhook pools=.. apiserver_create_p50_ms=.. apiserver_create_p99_ms=.. review_p50_ms=..
 * review_p99_ms=.. reviews_per_s=..} (plus the same create figures with the webhooks off).
 */
public final class WebhookBench {
  private WebhookBench() {}

  public static void main(String[] args) throws Exception {
    int pools = args.length > 1 && args[0].equals("--pools") ? Integer.parseInt(args[1]) : 1000;
    LocalCluster cluster = LocalCluster.get();
    KubernetesClient client = KubeCluster.client(cluster);
    Crds.install(client, cluster.root());
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("bench-webhook").endMetadata().build())
        .serverSideApply();
    // The pools that already exist, written as admission would have left them.
    for (int i = 0; i < pools; i++) {
      client.resource(pool("existing-" + i, 10, i, true)).create();
    }
    List<Double> off = create(client, pools, "off-", 20);
    double[] offCpu = cpu(ProcessHandle.current().pid());
    double offRate = createParallel(client, pools, "off-par-", 50);
    offCpu = since(offCpu, pools, ProcessHandle.current().pid());
    List<Double> on;
    double onRate;
    double[] onCpu;
    List<Double> reviews;
    double perSecond;
    try (ControllerProcess controller = ControllerProcess.start(cluster, client, "bench-webhook")) {
      on = create(client, pools, "on-", 30);
      double[] onCpuStart = cpu(controller.pid());
      onRate = createParallel(client, pools, "on-par-", 60);
      onCpu = since(onCpuStart, pools, controller.pid());
      Vertx vertx = Vertx.vertx();
      HttpClient http = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false)
          .setKeepAlive(true), new PoolOptions().setHttp1MaxSize(16));
      String path = "/validate-spiderpool-spidernet-io-v2beta1-spiderippool";
      int port = controller.webhookPort;
      for (int i = 0; i < 2000; i++) {
        review(http, port, path, i);
      }
      reviews = new ArrayList<>();
      for (int i = 0; i < 5000; i++) {
        long t0 = System.nanoTime();
        review(http, port, path, i);
        reviews.add((System.nanoTime() - t0) / 1e6);
      }
      int total = 20_000;
      Semaphore window = new Semaphore(16);
      CountDownLatch done = new CountDownLatch(total);
      AtomicInteger failed = new AtomicInteger();
      long t0 = System.nanoTime();
      for (int i = 0; i < total; i++) {
        window.acquire();
        int n = i;
        http.request(HttpMethod.POST, port, "127.0.0.1", path)
            .compose(req -> req.send(body(n)).compose(resp -> resp.body().map(b -> resp.statusCode())))
            .onComplete(ar -> {
              if (ar.failed() || ar.result() != 200) {
                failed.incrementAndGet();
              }
              window.release();
              done.countDown();
            });
      }
      done.await(5, TimeUnit.MINUTES);
      perSecond = total / ((System.nanoTime() - t0) / 1e9);
      if (failed.get() > 0) {
        throw new IllegalStateException(failed.get() + " reviews failed");
      }
      http.close().await();
      vertx.close().await();
    }
    System.out.printf("bench-webhook-off pools=%d apiserver_create_p50_ms=%.1f apiserver_create_p99_ms=%.1f "
        + "apiserver_creates_per_s_16_clients=%.0f apiserver_cpu_ms_per_create=%.2f client_cpu_ms_per_create=%.2f%n",
        pools, pct(off, 50), pct(off, 99), offRate, offCpu[0], offCpu[2]);
    System.out.printf("bench-webhook-on pools=%d apiserver_creates_per_s_16_clients=%.0f apiserver_cpu_ms_per_create=%.2f "
        + "controller_cpu_ms_per_create=%.2f client_cpu_ms_per_create=%.2f%n", pools, onRate, onCpu[0], onCpu[1], onCpu[2]);
    System.out.printf("bench-webhook pools=%d apiserver_create_p50_ms=%.1f apiserver_create_p99_ms=%.1f review_p50_ms=%.2f "
        + "review_p99_ms=%.2f reviews_per_s=%.0f%n", pools, pct(on, 50), pct(on, 99), pct(reviews, 50), pct(reviews, 99),
        perSecond);
    client.close();
  }

  private static List<Double> create(KubernetesClient client, int count, String prefix, int secondOctet) {
    List<Double> ms = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      SpiderIPPool p = pool(prefix + i, secondOctet, i, false);
      long t0 = System.nanoTime();
      client.resource(p).create();
      ms.add((System.nanoTime() - t0) / 1e6);
    }
    return ms;
  }

  /** Pool {@code i} of a set: 10.{base + i/256}.{i%256}.0/24 (sets 10, 20, 30 stay apart for i < 2560). */
  /** CPU seconds so far: the API server, the controller ({@code pid}; this JVM when there is none), this JVM. */
  private static double[] cpu(long controller) throws java.io.IOException {
    return new double[] {ProcessCpu.apiServer(), ProcessCpu.secondsOf(controller), ProcessCpu.self()};
  }

  /** Milliseconds of CPU per create since {@code start}. */
  private static double[] since(double[] start, int creates, long controller) throws java.io.IOException {
    double[] now = cpu(controller);
    double[] out = new double[3];
    for (int i = 0; i < 3; i++) {
      out[i] = (now[i] - start[i]) * 1000 / creates;
    }
    return out;
  }

  /** Creates {@code count} pools from 16 threads at once; answers creates per second. */
  private static double createParallel(KubernetesClient client, int count, String prefix, int base) throws Exception {
    java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(16);
    try {
      List<java.util.concurrent.Callable<Object>> creates = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        SpiderIPPool p = pool(prefix + i, base, i, false);
        creates.add(() -> client.resource(p).create());
      }
      long t0 = System.nanoTime();
      for (java.util.concurrent.Future<Object> f : threads.invokeAll(creates)) {
        f.get();
      }
      return count / ((System.nanoTime() - t0) / 1e9);
    } finally {
      threads.shutdownNow();
    }
  }

  private static SpiderIPPool pool(String name, int base, int i, boolean admitted) {
    String net = "10." + (base + i / 256) + "." + (i % 256);
    String yaml = "apiVersion: spiderpool.spidernet.io/v2beta1\nkind: SpiderIPPool\nmetadata:\n  name: " + name + "\n"
        + (admitted ? "  labels: {ipam.spidernet.io/ippool-cidr: " + net.replace('.', '-') + "-0-24}\n" : "")
        + "spec:\n" + (admitted ? "  ipVersion: 4\n" : "") + "  subnet: " + net + ".0/24\n"
        + "  ips: [" + net + ".10-" + net + ".200]\n  gateway: " + net + ".1\n";
    return io.fabric8.kubernetes.client.utils.Serialization.unmarshal(yaml, SpiderIPPool.class);
  }

  private static Buffer body(int i) {
    String subnet = "10." + (40 + (i / 256) % 20) + "." + (i % 256);
    return Buffer.buffer("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"b-" + i
        + "\",\"kind\":{\"group\":\"spiderpool.spidernet.io\",\"version\":\"v2beta1\",\"kind\":\"SpiderIPPool\"},"
        + "\"operation\":\"CREATE\",\"name\":\"r" + i + "\",\"dryRun\":true,\"object\":{\"apiVersion\":"
        + "\"spiderpool.spidernet.io/v2beta1\",\"kind\":\"SpiderIPPool\",\"metadata\":{\"name\":\"r" + i + "\",\"labels\":{"
        + "\"ipam.spidernet.io/ippool-cidr\":\"" + subnet.replace('.', '-') + "-0-24\"}},\"spec\":{\"ipVersion\":4,"
        + "\"subnet\":\"" + subnet + ".0/24\",\"ips\":[\"" + subnet + ".10-" + subnet + ".200\"],\"gateway\":\"" + subnet + ".1\"}}}}");
  }

  private static void review(HttpClient http, int port, String path, int i) {
    int status = http.request(HttpMethod.POST, port, "127.0.0.1", path)
        .compose(req -> req.send(body(i)).compose(resp -> resp.body().map(b -> resp.statusCode()))).await();
    if (status != 200) {
      throw new IllegalStateException("review " + i + " answered " + status);
    }
  }

  private static double pct(List<Double> values, int p) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }
}
