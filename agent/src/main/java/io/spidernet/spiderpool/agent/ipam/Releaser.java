package io.spidernet.spiderpool.agent.ipam;

import io.spidernet.spiderpool.agent.config.AgentConfig;
import io.spidernet.spiderpool.agent.metrics.IpamMetrics;
import io.spidernet.spiderpool.core.endpoint.EndpointView;
import io.spidernet.spiderpool.core.endpoint.Endpoints;
import io.spidernet.spiderpool.core.pod.Owners;
import io.spidernet.spiderpool.core.pod.PodRules;
import io.spidernet.spiderpool.core.pod.TopController;
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
  private final PodResolver pods;
  private final Endpoints endpoints;
  private final Allocator allocator;
  private final PodLocks locks;
  private final IpamMetrics metrics;
  private final Owners owners;

  public Releaser(AgentConfig config, Owners owners, PodResolver pods, Endpoints endpoints, Allocator allocator,
      PodLocks locks, IpamMetrics metrics) {
    this.config = config;
    this.owners = owners;
    this.pods = pods;
    this.endpoints = endpoints;
    this.allocator = allocator;
    this.locks = locks;
    this.metrics = metrics;
  }

  /** Releases the IPs of pod {@code namespace/name} incarnation {@code uid} (may be empty). */
  public Future<Void> release(String namespace, String name, String uid) {
    long start = System.nanoTime();
    return pods.fresh(namespace, name)
        .compose(pod -> {
          String podUid = pod == null ? null : pod.getMetadata().getUid();
          if (pod != null && PodRules.alive(pod) && (uid == null || uid.isEmpty() || uid.equals(podUid))) {
            return Future.succeededFuture(); // a live pod keeps its IPs
          }
          String target = pod != null && !PodRules.alive(pod) && (uid == null || uid.isEmpty()) ? podUid : uid;
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
      if (!EndpointView.isFor(se, uid)) {
        return Future.succeededFuture();
      }
      String owner = EndpointView.ownerType(se);
      boolean stateful = config.enableStatefulSet() && "StatefulSet".equals(owner);
      boolean vm = config.enableKubevirtStaticIP() && TopController.KUBEVIRT_VMI.equals(owner);
      if (!stateful && !vm) {
        return allocator.releaseAll(uid, EndpointView.nics(se)).compose(v -> endpoints.dropFinalizer(se));
      }
      String ns = se.getMetadata().getNamespace();
      return (stateful ? owners.statefulSetWants(ns, EndpointView.ownerName(se), se.getMetadata().getName())
          : owners.kubevirt().vmHolds(ns, EndpointView.ownerName(se))).compose(wanted -> {
        if (wanted) {
          LOG.debug("{} {} still holds the IPs of {}", owner, EndpointView.ownerName(se), EndpointView.key(se));
          return Future.succeededFuture();
        }
        return allocator.releaseAll(uid, EndpointView.nics(se)).compose(v -> endpoints.delete(se));
      });
    });
  }
}
