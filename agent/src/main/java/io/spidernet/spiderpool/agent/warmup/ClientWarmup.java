package io.spidernet.spiderpool.agent.warmup;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.spidernet.spiderpool.api.Constants;
import io.spidernet.spiderpool.api.v2beta1.IPAllocationDetail;
import io.spidernet.spiderpool.api.v2beta1.IPPoolSpec;
import io.spidernet.spiderpool.api.v2beta1.IPPoolStatus;
import io.spidernet.spiderpool.api.v2beta1.PodIPAllocation;
import io.spidernet.spiderpool.api.v2beta1.SpiderEndpoint;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.api.v2beta1.WorkloadEndpointStatus;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the agent's two API writes of an ADD (a pool's status, an endpoint) through fabric8 and the
 * Vert.x HTTP client before the agent serves, so that the first burst of pods is not served by
 * interpreted client code: measured, it cut the agents' CPU for a cold burst of 1000 pods by a
 * third. The calls go to an echo server on loopback inside this process, never to the API server
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

  private static void round(KubernetesClient client, int round) {
    SpiderIPPool pool = new SpiderIPPool();
    pool.getMetadata().setName("warmup");
    pool.getMetadata().setResourceVersion(String.valueOf(round + 1));
    IPPoolSpec spec = new IPPoolSpec();
    spec.subnet = "10.0.0.0/16";
    spec.ips = List.of("10.0.0.1-10.0.3.232");
    pool.setSpec(spec);
    IPPoolStatus status = new IPPoolStatus();
    status.allocatedIPs = "{\"10.0.0." + (round % 250 + 1) + "\":{\"pod\":\"warmup/p\",\"podUid\":\"u" + round + "\"}}";
    status.allocatedIPCount = 1L;
    pool.setStatus(status);
    client.resource(pool).updateStatus();
    client.resource(endpoint(round)).create();
  }

  /** Echoes the object written, as the API server answers a create or an update. */
  private static void answer(HttpServerRequest req, Buffer body) {
    req.response().putHeader("content-type", "application/json")
        .setStatusCode(req.method() == HttpMethod.POST ? 201 : 200).end(body);
  }

  private static SpiderEndpoint endpoint(int round) {
    SpiderEndpoint se = new SpiderEndpoint();
    se.getMetadata().setName("p" + round);
    se.getMetadata().setNamespace("warmup");
    se.getMetadata().setFinalizers(List.of(Constants.FINALIZER));
    se.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder()
        .withApiVersion("v1").withKind("Pod").withName("p" + round).withUid("u" + round).build()));
    IPAllocationDetail nic = new IPAllocationDetail();
    nic.nic = "eth0";
    nic.ipv4 = "10.0.0." + (round % 250 + 1) + "/16";
    nic.ipv4Pool = "warmup";
    WorkloadEndpointStatus status = new WorkloadEndpointStatus();
    status.current = new PodIPAllocation();
    status.current.uid = "u" + round;
    status.current.node = "warmup";
    status.current.ips = List.of(nic);
    status.ownerControllerType = "Pod";
    status.ownerControllerName = "p" + round;
    se.setStatus(status);
    return se;
  }
}
