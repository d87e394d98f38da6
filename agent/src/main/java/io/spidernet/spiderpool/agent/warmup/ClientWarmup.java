package io.spidernet.spiderpool.agent.warmup;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.spidernet.spiderpool.core.endpoint.Endpoints;
import io.spidernet.spiderpool.api.codec.PoolIPAllocation;
import io.spidernet.spiderpool.api.codec.PoolIPAllocations;
import io.spidernet.spiderpool.api.v2beta1.IPAllocationDetail;
import io.spidernet.spiderpool.api.v2beta1.IPPoolStatus;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the agent's two API writes of an ADD (a pool's status, an endpoint) through fabric8 and the
 * Vert.x HTTP client as soon as the agent serves (beside its first requests), so that a burst of pods
 * is not served by interpreted client code for long: measured when it ran before serving, it cut the
 * agents' CPU for a cold burst of 1000 pods by a third. The calls go to an echo server on loopback inside this process, never to the API server
 * (TLS is BoringSSL's native code and needs no warming). Blocking: call it on a worker thread.
 */
public final class ClientWarmup {
  private static final Logger LOG = LoggerFactory.getLogger(ClientWarmup.class);

  private ClientWarmup() {}

  /**
   * Warms for about {@code budgetMillis}; returns the rounds done. Best effort: a failure is logged
   * and the agent serves unwarmed rather than not at all.
   */
  public static int run(Vertx vertx, long budgetMillis) {
    try {
      return warm(vertx, budgetMillis);
    } catch (Exception e) {
      LOG.warn("client warm-up failed, serving without it: {}", e.toString());
      return 0;
    }
  }

  private static int warm(Vertx vertx, long budgetMillis) throws Exception {
    long start = System.nanoTime();
    HttpServer echo = vertx.createHttpServer()
        .requestHandler(req -> req.body().onSuccess(body -> answer(req, body)))
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
    Config config = new ConfigBuilder(Config.empty()).withMasterUrl("http://127.0.0.1:" + echo.actualPort()).build();
    int rounds = 0;
    try (KubernetesClient client = new KubernetesClientBuilder()
        .withHttpClientFactory(new Vertx5HttpClientFactory(vertx)).withConfig(config).build()) {
      // The budget is for the calls: setting the client up is paid once either way.
      long deadline = System.nanoTime() + budgetMillis * 1_000_000;
      do {
        round(client, rounds++);
      } while (System.nanoTime() < deadline);
    } finally {
      echo.close().toCompletionStage().toCompletableFuture().get();
    }
    LOG.info("client warm-up: {} rounds in {} ms", rounds, (System.nanoTime() - start) / 1_000_000);
    return rounds;
  }

  /** One ADD's writes: the pool's status, then the pod's endpoint, built as the agent builds them. */
  private static void round(KubernetesClient client, int round) {
    SpiderIPPool pool = Warmup.pool(round);
    String ip = "10.0.0." + (round % 250 + 1);
    IPPoolStatus status = new IPPoolStatus();
    status.allocatedIPs = PoolIPAllocations.encode(Map.of(ip, PoolIPAllocation.of("warmup", "p", "u" + round)));
    status.allocatedIPCount = 1L;
    pool.setStatus(status);
    client.resource(pool).updateStatus();
    IPAllocationDetail nic = new IPAllocationDetail();
    nic.nic = "eth0";
    nic.ipv4 = ip + "/16";
    nic.ipv4Pool = "warmup";
    client.resource(Endpoints.build(Warmup.pod().endpoint(), false, List.of(nic), "c" + round)).create();
  }

  /** Echoes the object written, as the API server answers a create or an update. */
  private static void answer(HttpServerRequest req, Buffer body) {
    req.response().putHeader("content-type", "application/json")
        .setStatusCode(req.method() == HttpMethod.POST ? 201 : 200).end(body);
  }
}
