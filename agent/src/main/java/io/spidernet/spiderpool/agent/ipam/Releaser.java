package io.spidernet.spiderpool.agent.ipam;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.spidernet.spiderpool.agent.config.AgentConfig;
import io.spidernet.spiderpool.agent.endpoint.Endpoints;
import io.spidernet.spiderpool.agent.kube.Kube;
import io.spidernet.spiderpool.agent.metrics.IpamMetrics;
import io.spidernet.spiderpool.api.v2beta1.SpiderEndpoint;
import io.vertx.core.Future;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CNI DEL (spec 4.3). DEL of a live pod keeps its IPs (kubelet also sends DEL when a sandbox is
 * re-created); DEL for a pod or endpoint that is gone, or already released, succeeds. Otherwise every
 * IP of the incarnation is released from its pools (records of another UID are left alone) and the
 * endpoint's finalizer is removed. A StatefulSet pod that its StatefulSet still wants keeps its IPs,
 * and so does a KubeVirt VM's launcher pod while the VM lives (the endpoint is the VMI's).
 * Callable from an event loop.
 */
public final class Releaser {
  private static final Logger LOG = LoggerFactory.getLogger(Releaser.class);

  private final AgentConfig config;
  private final Kube kube;
  private final PodResolver pods;
  private final Endpoints endpoints;
  private final Allocator allocator;
  private final PodLocks locks;
  private final IpamMetrics metrics;
  private final Kubevirt kubevirt;

  public Releaser(AgentConfig config, Kube kube, PodResolver pods, Endpoints endpoints, Allocator allocator,
      PodLocks locks, IpamMetrics metrics) {
    this.config = config;
    this.kube = kube;
    this.pods = pods;
    this.endpoints = endpoints;
    this.allocator = allocator;
    this.locks = locks;
    this.metrics = metrics;
    this.kubevirt = new Kubevirt(kube);
  }

  /** Releases the IPs of pod {@code namespace/name} incarnation {@code uid} (may be empty). */
  public Future<Void> release(String namespace, String name, String uid) {
    long start = System.nanoTime();
    return pods.fresh(namespace, name)
        .compose(pod -> {
          String podUid = pod == null ? null : pod.getMetadata().getUid();
          if (pod != null && PodResolver.alive(pod) && (uid == null || uid.isEmpty() || uid.equals(podUid))) {
            return Future.succeededFuture(); // a live pod keeps its IPs
          }
          String target = pod != null && !PodResolver.alive(pod) && (uid == null || uid.isEmpty()) ? podUid : uid;
          if (target == null || target.isEmpty()) {
            return Future.succeededFuture(); // nothing to identify the incarnation by; GC's job
          }
          String endpoint = pod == null ? name : PodResolver.endpointName(pod, config);
          return locks.run(target, () -> releaseLocked(namespace, endpoint, target));
        })
        .andThen(ar -> {
          if (ar.succeeded()) {
            metrics.released(Duration.ofNanos(System.nanoTime() - start));
          } else {
            metrics.releaseFailed();
          }
        });
  }

  /** Releases an incarnation whatever the pod's state (the batch API, after an IP conflict). */
  public Future<Void> releaseNow(String namespace, String name, String uid) {
    if (uid == null || uid.isEmpty()) {
      return Future.succeededFuture();
    }
    return locks.run(uid, () -> releaseLocked(namespace, name, uid));
  }

  private Future<Void> releaseLocked(String namespace, String endpoint, String uid) {
    return endpoints.get(namespace, endpoint).compose(se -> {
      if (se == null || se.getStatus() == null || !uid.equals(se.getStatus().current.uid)) {
        return Future.succeededFuture();
      }
      String owner = se.getStatus().ownerControllerType;
      boolean stateful = config.enableStatefulSet() && "StatefulSet".equals(owner);
      boolean vm = config.enableKubevirtStaticIP() && PodContext.KUBEVIRT_VMI.equals(owner);
      if (!stateful && !vm) {
        return allocator.releaseAll(uid, se.getStatus().current.ips).compose(v -> endpoints.dropFinalizer(se));
      }
      return (stateful ? statefulSetWants(se)
          : kubevirt.vmHolds(se.getMetadata().getNamespace(), se.getStatus().ownerControllerName)).compose(wanted -> {
        if (wanted) {
          return Future.succeededFuture();
        }
        return allocator.releaseAll(uid, se.getStatus().current.ips).compose(v -> endpoints.delete(se));
      });
    });
  }

  /** Whether the StatefulSet still exists and the pod's ordinal is within its replicas. */
  private Future<Boolean> statefulSetWants(SpiderEndpoint se) {
    String ns = se.getMetadata().getNamespace();
    String owner = se.getStatus().ownerControllerName;
    return kube.call(() -> kube.client().apps().statefulSets().inNamespace(ns).withName(owner).get())
        .map(sts -> wants(sts, se.getMetadata().getName()));
  }

  static boolean wants(StatefulSet sts, String podName) {
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
    boolean wanted = ordinal >= start && ordinal < start + replicas;
    if (wanted) {
      LOG.debug("StatefulSet {} still wants pod {}: keeping its IPs", sts.getMetadata().getName(), podName);
    }
    return wanted;
  }
}
