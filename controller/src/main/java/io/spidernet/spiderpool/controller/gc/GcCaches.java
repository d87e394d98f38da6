package io.spidernet.spiderpool.controller.gc;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
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

  /** The pod and endpoint informers keep only what the rules read, so 100 000 pods fit the controller's heap. */
  private final ReducedStore<Pod, GcPod> podFacts = new ReducedStore<>(GcPod::of, (key, f) -> f.toPod(key),
      (key, f) -> GcPod.skeleton(key, f.uid(), f.resourceVersion()));
  private final ReducedStore<SpiderEndpoint, GcEndpoint> endpointFacts = new ReducedStore<>(GcEndpoint::of,
      (key, f) -> f.toEndpoint(key), (key, f) -> GcEndpoint.skeleton(key, f.resourceVersion()));

  /** Pods are listed in pages, so the first list of a large cluster never sits in memory whole. */
  static final long LIST_PAGE = 500;

  private GcCaches(Kube kube) {
    // Nothing reads pods or endpoints by namespace: without the index, 100 000 keys are not held twice.
    this.pods = kube.client().pods().inAnyNamespace().withLimit(LIST_PAGE).runnableInformer(0).itemStore(podFacts)
        .removeNamespaceIndex();
    this.nodes = kube.client().nodes().runnableInformer(0);
    this.endpoints = kube.client().resources(SpiderEndpoint.class).inAnyNamespace().withLimit(LIST_PAGE).runnableInformer(0)
        .itemStore(endpointFacts).removeNamespaceIndex();
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

  /** The cached facts of pod {@code namespace/name}, or null when the informer knows no such pod. */
  public GcPod pod(String namespace, String name) {
    return podFacts.facts(namespace, name);
  }

  /** The cached facts of SpiderEndpoint {@code namespace/name}, or null. */
  public GcEndpoint endpoint(String namespace, String name) {
    return endpointFacts.facts(namespace, name);
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
