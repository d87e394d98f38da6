package io.spidernet.spiderpool.agent.ipam;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.spidernet.spiderpool.agent.config.AgentConfig;
import io.spidernet.spiderpool.agent.kube.AgentCaches;
import io.spidernet.spiderpool.core.kube.Kube;
import io.spidernet.spiderpool.core.kube.KubeNames;
import io.spidernet.spiderpool.core.pod.Owners;
import io.spidernet.spiderpool.core.pod.PodRules;
import io.vertx.core.Future;
import java.util.Map;

/**
 * Reads a pod and what pool selection needs around it. Callable from an event loop; futures may
 * complete on a worker thread.
 */
public final class PodResolver {
  private final Kube kube;
  private final AgentCaches caches;
  private final Owners owners;

  public PodResolver(Kube kube, AgentCaches caches, Owners owners) {
    this.kube = kube;
    this.caches = caches;
    this.owners = owners;
  }

  /**
   * The pod incarnation {@code uid} names: from this node's cache when the cache has that
   * incarnation, else from the API server (a brand-new pod may not be cached yet, and a cached
   * copy of a former incarnation says nothing about the new one). Null when no pod has the name.
   */
  public Future<Pod> pod(String namespace, String name, String uid) {
    Pod cached = caches.pod(namespace, name);
    if (cached != null && (uid == null || uid.isEmpty() || uid.equals(cached.getMetadata().getUid()))) {
      return Future.succeededFuture(cached);
    }
    return fresh(namespace, name);
  }

  /** The pod from the API server; null when it does not exist. */
  public Future<Pod> fresh(String namespace, String name) {
    return kube.call(() -> kube.client().pods().inNamespace(KubeNames.namespace("pod namespace", namespace))
        .withName(KubeNames.object("pod name", name)).get());
  }

  /** The selection context of a pod: labels around it and its top controller. */
  public Future<PodContext> context(Pod pod) {
    return owners.topController(pod).map(owner -> {
      Namespace ns = caches.namespace(pod.getMetadata().getNamespace());
      Node node = caches.node(pod.getSpec().getNodeName());
      return new PodContext(
          pod.getMetadata().getNamespace(),
          pod.getMetadata().getName(),
          pod.getMetadata().getUid(),
          pod.getSpec().getNodeName(),
          orEmpty(pod.getMetadata().getLabels()),
          orEmpty(pod.getMetadata().getAnnotations()),
          node == null ? Map.of() : orEmpty(node.getMetadata().getLabels()),
          ns == null ? Map.of() : orEmpty(ns.getMetadata().getLabels()),
          ns == null ? Map.of() : orEmpty(ns.getMetadata().getAnnotations()),
          owner);
    });
  }

  /**
   * The name of the pod's SpiderEndpoint: its KubeVirt VirtualMachineInstance's for a VM's launcher
   * pod (when the feature is on), else the pod's own (spec 1.4).
   */
  static String endpointName(Pod pod, AgentConfig config) {
    OwnerReference ref = PodRules.controllerOf(pod);
    boolean vmi = ref != null && config.enableKubevirtStaticIP()
        && PodRules.of(ref, pod.getMetadata().getNamespace()).isKubevirtVMI();
    return vmi ? ref.getName() : pod.getMetadata().getName();
  }

  private static Map<String, String> orEmpty(Map<String, String> m) {
    return m == null ? Map.of() : m;
  }
}
