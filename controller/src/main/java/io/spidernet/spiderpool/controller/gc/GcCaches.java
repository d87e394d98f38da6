package io.spidernet.spiderpool.controller.gc;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ReducedStateItemStore;
import io.spidernet.spiderpool.api.v2beta1.SpiderEndpoint;
import io.spidernet.spiderpool.core.kube.Kube;
import io.vertx.core.Future;
import java.util.List;

/**
 * What the GC scan reads before it confirms with the API server: every pod, node and
 * SpiderEndpoint. Read-only; any thread.
 */
public final class GcCaches implements AutoCloseable {
  private final SharedIndexInformer<Pod> pods;
  private final SharedIndexInformer<Node> nodes;
  private final SharedIndexInformer<SpiderEndpoint> endpoints;

  /**
   * What the GC rules read of a pod; the pod informer keeps only these (fabric8's
   * {@link ReducedStateItemStore}), so a cluster of 100 000 pods fits the controller's heap.
   */
  static final String[] POD_FIELDS = {"metadata.ownerReferences", "metadata.deletionTimestamp",
      "metadata.deletionGracePeriodSeconds", "spec.nodeName", "spec.hostNetwork", "spec.terminationGracePeriodSeconds",
      "status.phase", "status.podIPs", "status.containerStatuses"};

  /** Pods are listed in pages, so the first list of a large cluster never sits in memory whole. */
  static final long LIST_PAGE = 500;

  private GcCaches(Kube kube) {
    this.pods = kube.client().pods().inAnyNamespace().withLimit(LIST_PAGE).runnableInformer(0).itemStore(new ReducedStateItemStore<>(
        ReducedStateItemStore.NAME_KEY_STATE, Pod.class, kube.client().getKubernetesSerialization(), POD_FIELDS));
    this.nodes = kube.client().nodes().runnableInformer(0);
    this.endpoints = kube.client().resources(SpiderEndpoint.class).inAnyNamespace().runnableInformer(0);
  }

  /** Starts the informers; completes when synced. Callable from an event loop. */
  public static Future<GcCaches> start(Kube kube) {
    GcCaches caches = new GcCaches(kube);
    return kube.callUnbounded(() -> {
      for (SharedIndexInformer<?> i : List.of(caches.pods, caches.nodes, caches.endpoints)) {
        i.start().toCompletableFuture().get();
      }
      return caches;
    });
  }

  public Pod pod(String namespace, String name) {
    return pods.getStore().getByKey(Cache.namespaceKeyFunc(namespace, name));
  }

  public SpiderEndpoint endpoint(String namespace, String name) {
    return endpoints.getStore().getByKey(Cache.namespaceKeyFunc(namespace, name));
  }

  public SharedIndexInformer<Pod> podInformer() {
    return pods;
  }

  /** Whether the node is Ready; false when it is NotReady, unknown or gone. */
  public boolean nodeReady(String name) {
    Node node = name == null ? null : nodes.getStore().getByKey(name);
    if (node == null || node.getStatus() == null || node.getStatus().getConditions() == null) {
      return false;
    }
    for (NodeCondition c : node.getStatus().getConditions()) {
      if ("Ready".equals(c.getType())) {
        return "True".equals(c.getStatus());
      }
    }
    return false;
  }

  @Override
  public void close() {
    pods.close();
    nodes.close();
    endpoints.close();
  }
}
