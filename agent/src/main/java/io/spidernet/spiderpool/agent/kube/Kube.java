package io.spidernet.spiderpool.agent.kube;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.spidernet.spiderpool.common.http.KubeHttpClientFactory;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.api.v2beta1.SpiderReservedIP;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The agent's access to the API server. fabric8's DSL blocks even on its Vert.x HTTP client, so
 * every call runs on the named worker pool {@code spiderpool-kube} and comes back as a Vert.x
 * {@link Future}: callable from an event loop. The informers' caches are read-only snapshots,
 * safe to read from any thread; no informer callback is registered.
 */
public final class Kube implements AutoCloseable {
  static final int REQUEST_RETRIES = 2;
  private final KubernetesClient client;
  private final WorkerExecutor worker;
  private final SharedIndexInformer<SpiderIPPool> pools;
  private final SharedIndexInformer<SpiderReservedIP> reservedIPs;
  private final SharedIndexInformer<Node> nodes;
  private final SharedIndexInformer<Namespace> namespaces;
  private final SharedIndexInformer<Pod> pods;

  private Kube(KubernetesClient client, WorkerExecutor worker, String nodeName) {
    this.client = client;
    this.worker = worker;
    this.pools = client.resources(SpiderIPPool.class).runnableInformer(0);
    this.reservedIPs = client.resources(SpiderReservedIP.class).runnableInformer(0);
    this.nodes = client.nodes().runnableInformer(0);
    this.namespaces = client.namespaces().runnableInformer(0);
    this.pods = client.pods().inAnyNamespace().withField("spec.nodeName", nodeName).runnableInformer(0);
  }

  /**
   * Connects with the in-cluster or KUBECONFIG configuration, sharing {@code vertx} for HTTP, and
   * starts the informers; completes when their caches are synced.
   */
  public static Future<Kube> connect(Vertx vertx, String nodeName, int workers) {
    Config config = Config.autoConfigure(null);
    // fabric8 retries an unreachable API server ten times with exponential back-off (~100 s); an ADD
    // would wait out its deadline. A few quick retries ride out a blip, then the ADD fails naming the
    // server (CNI code 11) and the runtime retries it.
    config.setRequestRetryBackoffLimit(REQUEST_RETRIES);
    KubernetesClient client = new KubernetesClientBuilder()
        .withHttpClientFactory(new KubeHttpClientFactory(vertx))
        .withConfig(config)
        .build();
    Kube kube = new Kube(client, vertx.createSharedWorkerExecutor("spiderpool-kube", workers), nodeName);
    return kube.call(() -> {
      for (SharedIndexInformer<?> informer : kube.informers()) {
        informer.start().toCompletableFuture().get();
      }
      return kube;
    });
  }

  private List<SharedIndexInformer<?>> informers() {
    return List.of(pools, reservedIPs, nodes, namespaces, pods);
  }

  /**
   * Runs blocking fabric8 code on the worker pool; unordered, so calls run in parallel. A failure to
   * reach the API server comes back naming the server and the reason.
   */
  public <T> Future<T> call(Callable<T> blocking) {
    return worker.executeBlocking(blocking, false)
        .recover(e -> Future.failedFuture(Unreachable.explain(e, client.getMasterUrl().toString())));
  }

  /** Only for code already on the worker pool. */
  public KubernetesClient client() {
    return client;
  }

  public List<SpiderIPPool> cachedPools() {
    return pools.getStore().list();
  }

  public SpiderIPPool cachedPool(String name) {
    return pools.getStore().getByKey(name);
  }

  public List<SpiderReservedIP> cachedReservedIPs() {
    return reservedIPs.getStore().list();
  }

  public Node cachedNode(String name) {
    return nodes.getStore().getByKey(name);
  }

  public Namespace cachedNamespace(String name) {
    return namespaces.getStore().getByKey(name);
  }

  /** A pod of this node from the cache, or null (a brand-new pod may not be there yet). */
  public Pod cachedPod(String namespace, String name) {
    return pods.getStore().getByKey(Cache.namespaceKeyFunc(namespace, name));
  }

  public boolean synced() {
    return informers().stream().allMatch(SharedIndexInformer::hasSynced);
  }

  @Override
  public void close() {
    informers().forEach(SharedIndexInformer::close);
    worker.close();
    client.close();
  }
}
