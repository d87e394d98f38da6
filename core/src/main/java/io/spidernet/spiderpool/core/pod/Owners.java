package io.spidernet.spiderpool.core.pod;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.spidernet.spiderpool.core.kube.Kube;
import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Reads a pod's owners from the API server: its top controller (a ReplicaSet's or Job's remembered
 * by UID for a minute), and whether a StatefulSet or a KubeVirt VM still holds its IPs. Callable from
 * an event loop (reads run on the Kubernetes worker pool; futures complete there, or at once when
 * remembered).
 */
public final class Owners {
  /**
   * How long a ReplicaSet's or Job's controller is remembered: every pod of a Deployment would
   * otherwise read its ReplicaSet again (one GET per ADD in a burst). A ReplicaSet keeps its
   * Deployment for life unless orphaned and adopted, which this delays by at most this long, as
   * Spiderpool's informer-backed reads lag.
   */
  static final long CONTROLLER_TTL_NANOS = TimeUnit.SECONDS.toNanos(60);
  private static final int CONTROLLER_CACHE_MAX = 4096;

  private record Remembered(TopController top, long until) {}

  private final Kube kube;
  private final Kubevirt kubevirt;
  private final Map<String, Remembered> controllers = new ConcurrentHashMap<>();

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
    boolean replicaSet = ref.getApiVersion().equals("apps/v1") && ref.getKind().equals("ReplicaSet");
    boolean job = ref.getApiVersion().equals("batch/v1") && ref.getKind().equals("Job");
    if (!replicaSet && !job) {
      return Future.succeededFuture(PodRules.of(ref, ns));
    }
    Remembered known = ref.getUid() == null ? null : controllers.get(ref.getUid());
    if (known != null && known.until() - System.nanoTime() > 0) {
      return Future.succeededFuture(known.top());
    }
    Future<TopController> read = replicaSet
        ? kube.call(() -> kube.client().apps().replicaSets().inNamespace(ns).withName(ref.getName()).get())
            .map(rs -> parentOrSelf(rs, ref, ns, "Deployment"))
        : kube.call(() -> kube.client().batch().v1().jobs().inNamespace(ns).withName(ref.getName()).get())
            .map(j -> parentOrSelf(j, ref, ns, "CronJob"));
    return read.andThen(ar -> {
      if (ar.succeeded() && ref.getUid() != null) {
        if (controllers.size() >= CONTROLLER_CACHE_MAX) {
          controllers.clear();
        }
        controllers.put(ref.getUid(), new Remembered(ar.result(), System.nanoTime() + CONTROLLER_TTL_NANOS));
      }
    });
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
