package io.spidernet.spiderpool.agent.ipam;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.spidernet.spiderpool.agent.config.AgentConfig;
import io.spidernet.spiderpool.agent.kube.Kube;
import io.vertx.core.Future;
import java.util.Map;

/** Reads a pod and what pool selection needs around it. Callable from an event loop. */
public final class PodResolver {
  private final Kube kube;

  public PodResolver(Kube kube) {
    this.kube = kube;
  }

  /** The pod from this node's cache, else from the API server; null when it does not exist. */
  public Future<Pod> pod(String namespace, String name) {
    Pod cached = kube.cachedPod(namespace, name);
    if (cached != null) {
      return Future.succeededFuture(cached);
    }
    return fresh(namespace, name);
  }

  /** The pod from the API server; null when it does not exist. */
  public Future<Pod> fresh(String namespace, String name) {
    return kube.call(() -> kube.client().pods().inNamespace(namespace).withName(name).get());
  }

  /**
   * Whether the pod may still use its IPs (spec 4.2 step 1): it exists, is not being deleted and has
   * not finished for good.
   */
  public static boolean alive(Pod pod) {
    if (pod == null || pod.getMetadata().getDeletionTimestamp() != null) {
      return false;
    }
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    String restart = pod.getSpec() == null ? null : pod.getSpec().getRestartPolicy();
    if ("Succeeded".equals(phase) && !"Always".equals(restart)) {
      return false;
    }
    if ("Failed".equals(phase)) {
      return !"Never".equals(restart) && !"Evicted".equals(pod.getStatus().getReason());
    }
    return true;
  }

  /** The selection context of a pod: labels around it and its top controller. */
  public Future<PodContext> context(Pod pod) {
    return topController(pod).map(owner -> {
      Namespace ns = kube.cachedNamespace(pod.getMetadata().getNamespace());
      Node node = kube.cachedNode(pod.getSpec().getNodeName());
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

  /** Deployment over ReplicaSet, CronJob over Job; the pod itself when it has no controller. */
  Future<PodContext.TopController> topController(Pod pod) {
    String ns = pod.getMetadata().getNamespace();
    OwnerReference ref = controllerOf(pod);
    if (ref == null) {
      return Future.succeededFuture(new PodContext.TopController("", "v1", "Pod", ns, pod.getMetadata().getName(),
          pod.getMetadata().getUid()));
    }
    if (ref.getApiVersion().equals("apps/v1") && ref.getKind().equals("ReplicaSet")) {
      return kube.call(() -> kube.client().apps().replicaSets().inNamespace(ns).withName(ref.getName()).get())
          .map(rs -> parentOrSelf(rs, ref, ns, "Deployment"));
    }
    if (ref.getApiVersion().equals("batch/v1") && ref.getKind().equals("Job")) {
      return kube.call(() -> kube.client().batch().v1().jobs().inNamespace(ns).withName(ref.getName()).get())
          .map(job -> parentOrSelf(job, ref, ns, "CronJob"));
    }
    return Future.succeededFuture(of(ref, ns));
  }

  private static PodContext.TopController parentOrSelf(HasMetadata owner, OwnerReference ref, String ns, String parentKind) {
    if (owner != null) {
      OwnerReference parent = controllerOf(owner);
      if (parent != null && parent.getKind().equals(parentKind)) {
        return of(parent, ns);
      }
    }
    return of(ref, ns);
  }

  private static PodContext.TopController of(OwnerReference ref, String ns) {
    String apiVersion = ref.getApiVersion();
    int slash = apiVersion.indexOf('/');
    String group = slash < 0 ? "" : apiVersion.substring(0, slash);
    String version = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
    return new PodContext.TopController(group, version, ref.getKind(), ns, ref.getName(), ref.getUid());
  }

  /**
   * The name of the pod's SpiderEndpoint: its KubeVirt VirtualMachineInstance's for a VM's launcher
   * pod (when the feature is on), else the pod's own (spec 1.4).
   */
  static String endpointName(Pod pod, AgentConfig config) {
    OwnerReference ref = controllerOf(pod);
    boolean vmi = ref != null && config.enableKubevirtStaticIP()
        && of(ref, pod.getMetadata().getNamespace()).isKubevirtVMI();
    return vmi ? ref.getName() : pod.getMetadata().getName();
  }

  static OwnerReference controllerOf(HasMetadata object) {
    if (object.getMetadata().getOwnerReferences() == null) {
      return null;
    }
    return object.getMetadata().getOwnerReferences().stream()
        .filter(r -> Boolean.TRUE.equals(r.getController())).findFirst().orElse(null);
  }

  private static Map<String, String> orEmpty(Map<String, String> m) {
    return m == null ? Map.of() : m;
  }
}
