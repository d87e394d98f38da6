package io.spidernet.spiderpool.controller.gc;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.spidernet.spiderpool.core.pod.PodRules;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What the GC rules read of a pod, and nothing else: the pod informer keeps one of these per pod
 * (about 300 bytes with its key, against 1.5 KiB for even a bare fabric8 {@link Pod}), and a
 * pod read afresh is reduced to one before it is judged, so both are judged alike.
 *
 * @param finishedAt the latest end of the pod's containers, or null while one of them has not ended
 * @param ownerKind kind of the pod's controller (StatefulSet, VirtualMachineInstance, ...), or null
 */
public record GcPod(String uid, String resourceVersion, String nodeName, boolean hostNetwork, String phase, boolean hasIPs,
    String deletionTimestamp, Long deletionGraceSeconds, Long terminationGraceSeconds, Instant finishedAt, String ownerKind,
    String ownerName) {

  /** The facts of {@code pod}; values many pods share (node, phase, owner) are interned. */
  public static GcPod of(Pod pod) {
    ObjectMeta meta = pod.getMetadata();
    PodSpec spec = pod.getSpec();
    PodStatus status = pod.getStatus();
    OwnerReference owner = PodRules.controllerOf(pod);
    return new GcPod(meta.getUid(), meta.getResourceVersion(),
        spec == null ? null : intern(spec.getNodeName()), spec != null && Boolean.TRUE.equals(spec.getHostNetwork()),
        status == null ? null : intern(status.getPhase()),
        status != null && status.getPodIPs() != null && !status.getPodIPs().isEmpty(),
        meta.getDeletionTimestamp(), meta.getDeletionGracePeriodSeconds(),
        spec == null ? null : spec.getTerminationGracePeriodSeconds(), finishedAt(status),
        owner == null ? null : intern(owner.getKind()), owner == null ? null : intern(owner.getName()));
  }

  /** Whether the pod is terminating (has a deletion timestamp). */
  public boolean terminating() {
    return deletionTimestamp != null;
  }

  /** When the grace of a terminating pod ends (deletion time + its grace + {@code extra}). */
  public Instant deletionGraceEnd(Duration extra) {
    return Instant.parse(deletionTimestamp).plusSeconds(deletionGraceSeconds == null ? 0 : deletionGraceSeconds).plus(extra);
  }

  /** The termination grace of the pod's spec (Kubernetes' default 30 s when unset). */
  public long terminationGrace() {
    return terminationGraceSeconds == null ? 30 : terminationGraceSeconds;
  }

  /**
   * A pod carrying these facts, for the informer's bookkeeping ({@code key} is namespace/name): the
   * same facts come back from {@link #of} except the pod IPs and container ends, which are not kept.
   */
  Pod toPod(String key) {
    Pod pod = skeleton(key, uid, resourceVersion);
    pod.getMetadata().setDeletionTimestamp(deletionTimestamp);
    pod.getMetadata().setDeletionGracePeriodSeconds(deletionGraceSeconds);
    if (ownerKind != null) {
      OwnerReference ref = new OwnerReference();
      ref.setKind(ownerKind);
      ref.setName(ownerName);
      ref.setController(true);
      pod.getMetadata().setOwnerReferences(List.of(ref));
    }
    PodSpec spec = new PodSpec();
    spec.setNodeName(nodeName);
    spec.setHostNetwork(hostNetwork);
    spec.setTerminationGracePeriodSeconds(terminationGraceSeconds);
    pod.setSpec(spec);
    PodStatus status = new PodStatus();
    status.setPhase(phase);
    pod.setStatus(status);
    return pod;
  }

  /** A pod with only its identity: what the informer needs to notice deletions when it lists again. */
  static Pod skeleton(String key, String uid, String resourceVersion) {
    int slash = key.indexOf('/');
    ObjectMeta meta = new ObjectMeta();
    meta.setNamespace(slash < 0 ? null : key.substring(0, slash));
    meta.setName(key.substring(slash + 1));
    meta.setUid(uid);
    meta.setResourceVersion(resourceVersion);
    Pod pod = new Pod();
    pod.setMetadata(meta);
    return pod;
  }

  /** The latest container end, or null when there is no container status or one has not ended. */
  private static Instant finishedAt(PodStatus status) {
    if (status == null || status.getContainerStatuses() == null || status.getContainerStatuses().isEmpty()) {
      return null;
    }
    Instant latest = null;
    for (ContainerStatus c : status.getContainerStatuses()) {
      if (c.getState() == null || c.getState().getTerminated() == null || c.getState().getTerminated().getFinishedAt() == null) {
        return null;
      }
      Instant t = Instant.parse(c.getState().getTerminated().getFinishedAt());
      latest = latest == null || t.isAfter(latest) ? t : latest;
    }
    return latest;
  }

  private static String intern(String s) {
    return s == null ? null : s.intern();
  }
}
