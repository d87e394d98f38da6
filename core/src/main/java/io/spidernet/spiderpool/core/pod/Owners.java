package io.spidernet.spiderpool.core.pod;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.spidernet.spiderpool.core.kube.Kube;
import io.vertx.core.Future;

/**
 * Reads a pod's owners from the API server: its top controller, and whether a StatefulSet or a
 * KubeVirt VM still holds its IPs. Callable from an event loop (reads run on the Kubernetes worker
 * pool; futures complete there).
 */
public final class Owners {
  private final Kube kube;
  private final Kubevirt kubevirt;

  public Owners(Kube kube) {
    this.kube = kube;
    this.kubevirt = new Kubevirt(kube);
  }

  public Kubevirt kubevirt() {
    return kubevirt;
  }

  /** Deployment over ReplicaSet, CronJob over Job; the pod itself when it has no controller. */
  public Future<TopController> topController(Pod pod) {
    String ns = pod.getMetadata().getNamespace();
    OwnerReference ref = PodRules.controllerOf(pod);
    if (ref == null) {
      return Future.succeededFuture(new TopController("", "v1", "Pod", ns, pod.getMetadata().getName(),
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
    return Future.succeededFuture(PodRules.of(ref, ns));
  }

  private static TopController parentOrSelf(HasMetadata owner, OwnerReference ref, String ns, String parentKind) {
    if (owner != null) {
      OwnerReference parent = PodRules.controllerOf(owner);
      if (parent != null && parent.getKind().equals(parentKind)) {
        return PodRules.of(parent, ns);
      }
    }
    return PodRules.of(ref, ns);
  }

  /** Whether StatefulSet {@code namespace/owner} still wants pod {@code podName} (exists, ordinal in range). */
  public Future<Boolean> statefulSetWants(String namespace, String owner, String podName) {
    return kube.call(() -> kube.client().apps().statefulSets().inNamespace(namespace).withName(owner).get())
        .map(sts -> PodRules.statefulSetWants(sts, podName));
  }
}
