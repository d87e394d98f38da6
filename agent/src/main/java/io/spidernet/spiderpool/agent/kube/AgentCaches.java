package io.spidernet.spiderpool.agent.kube;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.api.v2beta1.SpiderReservedIP;
import io.spidernet.spiderpool.core.ippool.PoolCache;
import io.spidernet.spiderpool.core.kube.Kube;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The agent's informer caches: every pool, reserved IP, node and namespace, and this node's pods.
 * Read-only snapshots, safe to read from any thread; no informer callback is registered, so no
 * fabric8 thread ever runs agent code.
 */
public final class AgentCaches implements PoolCache, AutoCloseable {
  private final SharedIndexInformer<SpiderIPPool> pools;
  private final SharedIndexInformer<SpiderReservedIP> reservedIPs;
  private final SharedIndexInformer<Node> nodes;
  private final SharedIndexInformer<Namespace> namespaces;
  private final SharedIndexInformer<Pod> pods;

  private AgentCaches(KubernetesClient client, String nodeName) {
    this.pools = client.resources(SpiderIPPool.class).runnableInformer(0);
    this.reservedIPs = client.resources(SpiderReservedIP.class).runnableInformer(0);
    this.nodes = client.nodes().runnableInformer(0);
    this.namespaces = client.namespaces().runnableInformer(0);
    this.pods = client.pods().inAnyNamespace().withField("spec.nodeName", nodeName).runnableInformer(0);
  }

  /** Caches whose informers are not started (never synced): for tests of what depends on readiness. */
  public static AgentCaches unstarted(KubernetesClient client, String nodeName) {
    return new AgentCaches(client, nodeName);
  }

  /** Starts the informers; completes when their caches are synced. Callable from an event loop. */
  public static Future<AgentCaches> start(Kube kube, String nodeName) {
    AgentCaches caches = new AgentCaches(kube.client(), nodeName);
    return kube.callUnbounded(() -> {
      // All LISTs at once: the socket waits for the last sync, not for the sum of them.
      List<CompletableFuture<?>> synced = new ArrayList<>();
      for (SharedIndexInformer<?> informer : caches.informers()) {
        synced.add(informer.start().toCompletableFuture());
      }
      CompletableFuture.allOf(synced.toArray(CompletableFuture[]::new)).get();
      return caches;
    });
  }

  private List<SharedIndexInformer<?>> informers() {
    return List.of(pools, reservedIPs, nodes, namespaces, pods);
  }

  @Override
  public List<SpiderIPPool> pools() {
    return pools.getStore().list();
  }

  @Override
  public SpiderIPPool pool(String name) {
    return pools.getStore().getByKey(name);
  }

  @Override
  public List<SpiderReservedIP> reservedIPs() {
    return reservedIPs.getStore().list();
  }

  public Node node(String name) {
    return nodes.getStore().getByKey(name);
  }

  public Namespace namespace(String name) {
    return namespaces.getStore().getByKey(name);
  }

  /** A pod of this node from the cache, or null (a brand-new pod may not be there yet). */
  public Pod pod(String namespace, String name) {
    return pods.getStore().getByKey(Cache.namespaceKeyFunc(namespace, name));
  }

  /** Whether every informer has synced once (it stays true while a watch reconnects). */
  public boolean synced() {
    return informers().stream().allMatch(SharedIndexInformer::hasSynced);
  }

  @Override
  public void close() {
    informers().forEach(SharedIndexInformer::close);
  }
}
