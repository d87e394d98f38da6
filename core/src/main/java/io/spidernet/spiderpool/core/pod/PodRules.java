package io.spidernet.spiderpool.core.pod;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;

/** Pure rules about pods and their owners that IPAM and GC decide on (spec 4.2, 4.3, 6.2). */
public final class PodRules {
  private PodRules() {}

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

  /** The object's controller reference, or null. */
  public static OwnerReference controllerOf(HasMetadata object) {
    if (object.getMetadata().getOwnerReferences() == null) {
      return null;
    }
    return object.getMetadata().getOwnerReferences().stream()
        .filter(r -> Boolean.TRUE.equals(r.getController())).findFirst().orElse(null);
  }

  /** The top controller an owner reference names, in namespace {@code ns}. */
  public static TopController of(OwnerReference ref, String ns) {
    String apiVersion = ref.getApiVersion();
    int slash = apiVersion.indexOf('/');
    String group = slash < 0 ? "" : apiVersion.substring(0, slash);
    String version = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
    return new TopController(group, version, ref.getKind(), ns, ref.getName(), ref.getUid());
  }

  /** Whether the StatefulSet exists, is not being deleted, and its replicas include the pod's ordinal. */
  public static boolean statefulSetWants(StatefulSet sts, String podName) {
    if (sts == null || sts.getMetadata().getDeletionTimestamp() != null) {
      return false;
    }
    String prefix = sts.getMetadata().getName() + "-";
    if (!podName.startsWith(prefix)) {
      return false;
    }
    int ordinal;
    try {
      ordinal = Integer.parseInt(podName.substring(prefix.length()));
    } catch (NumberFormatException e) {
      return false;
    }
    int start = sts.getSpec().getOrdinals() != null && sts.getSpec().getOrdinals().getStart() != null
        ? sts.getSpec().getOrdinals().getStart() : 0;
    int replicas = sts.getSpec().getReplicas() == null ? 1 : sts.getSpec().getReplicas();
    return ordinal >= start && ordinal < start + replicas;
  }
}
