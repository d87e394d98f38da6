package io.spidernet.spiderpool.agent.ipam;

import io.spidernet.spiderpool.agent.config.AgentConfig;
import io.spidernet.spiderpool.agent.metrics.IpamMetrics;
import io.spidernet.spiderpool.core.endpoint.EndpointView;
import io.spidernet.spiderpool.core.endpoint.Endpoints;
import io.spidernet.spiderpool.api.codec.PoolIPAllocation;
import io.spidernet.spiderpool.api.v2beta1.SpiderEndpoint;
import io.spidernet.spiderpool.core.ippool.PoolRequest;
import io.spidernet.spiderpool.core.ippool.PoolWriters;
import io.spidernet.spiderpool.core.pod.Owners;
import io.spidernet.spiderpool.core.pod.PodRules;
import io.spidernet.spiderpool.core.pod.TopController;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CNI DEL (spec 4.3). DEL of a live pod keeps its IPs (kubelet also sends DEL when a sandbox is
 * re-created); DEL for a pod or endpoint that is gone, or already released, succeeds. Otherwise the
 * incarnation's endpoint is deleted and every IP the pools record for it is released, with or
 * without an endpoint (records of another UID are left alone); a DEL without a UID for a pod that is
 * gone releases every incarnation of that name. A StatefulSet pod that its StatefulSet still wants keeps its IPs,
 * and so does a KubeVirt VM's launcher pod while the VM lives (the endpoint is the VMI's).
 * Callable from an event loop.
 */
public final class Releaser {
  private static final Logger LOG = LoggerFactory.getLogger(Releaser.class);

  private final AgentConfig config;
  private final PodResolver pods;
  private final Endpoints endpoints;
  private final PoolWriters writers;
  private final PodLocks locks;
  private final IpamMetrics metrics;
  private final Owners owners;

  public Releaser(AgentConfig config, Owners owners, PodResolver pods, Endpoints endpoints, PoolWriters writers,
      PodLocks locks, IpamMetrics metrics) {
    this.config = config;
    this.writers = writers;
    this.owners = owners;
    this.pods = pods;
    this.endpoints = endpoints;
    this.locks = locks;
    this.metrics = metrics;
  }

  /** Releases the IPs of pod {@code namespace/name} incarnation {@code uid} (may be empty). */
  public Future<Void> release(String namespace, String name, String uid) {
    long start = System.nanoTime();
    boolean noUid = uid == null || uid.isEmpty();
    return pods.fresh(namespace, name)
        .compose(pod -> {
          if (pod == null) {
            // Gone: the named incarnation, or without a UID every one the endpoint or the pools name.
            return noUid ? releaseGone(namespace, name) : locks.run(uid, () -> releaseLocked(namespace, name, uid));
          }
          String podUid = pod.getMetadata().getUid();
          if (PodRules.alive(pod) && (noUid || uid.equals(podUid))) {
            return Future.succeededFuture(); // a live pod keeps its IPs
          }
          String target = noUid ? podUid : uid;
          String endpoint = PodResolver.endpointName(pod, config);
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

  /**
   * A DEL without a UID for a pod that no longer exists: releases the incarnation its endpoint names
   * and every incarnation of that name the pools record (no live pod can own them).
   */
  private Future<Void> releaseGone(String namespace, String name) {
    String pod = namespace + "/" + name;
    return Future.all(endpoints.get(namespace, name), writers.recorded(r -> pod.equals(r.pod()))).compose(both -> {
      SpiderEndpoint se = both.resultAt(0);
      Map<String, Map<String, PoolIPAllocation>> found = both.resultAt(1);
      Set<String> uids = new HashSet<>();
      if (EndpointView.uid(se) != null) {
        uids.add(EndpointView.uid(se));
      }
      found.values().forEach(records -> records.values().forEach(r -> uids.add(r.podUid())));
      List<Future<?>> releases = new ArrayList<>();
      uids.forEach(uid -> releases.add(locks.run(uid, () -> releaseLocked(namespace, name, uid))));
      return Future.all(releases).mapEmpty();
    });
  }

  /**
   * Releases incarnation {@code uid} from every holder that has its IPs: the endpoint {@code
   * endpoint} names, and whatever holder (the pod, or a VM's VMI) the pools' records of the UID name,
   * also when no endpoint names them (an agent killed between its pool write and its endpoint write).
   * The pools known here are scanned once.
   */
  private Future<Void> releaseLocked(String namespace, String endpoint, String uid) {
    return writers.recorded(r -> uid.equals(r.podUid())).compose(found -> {
      Map<String, Map<String, Set<String>>> byHolder = new HashMap<>(); // holder -> pool -> IPs
      byHolder.put(namespace + "/" + endpoint, new HashMap<>());
      found.forEach((pool, records) -> records.forEach((ip, r) -> byHolder.computeIfAbsent(r.pod(), h -> new HashMap<>())
          .computeIfAbsent(pool, p -> new HashSet<>()).add(ip)));
      List<Future<?>> releases = new ArrayList<>();
      byHolder.forEach((holder, recorded) -> {
        int slash = holder.indexOf('/');
        releases.add(releaseHolder(holder.substring(0, slash), holder.substring(slash + 1), uid, recorded));
      });
      return Future.all(releases).mapEmpty();
    });
  }

  /**
   * Releases what holder {@code namespace/name} has of incarnation {@code uid}: its endpoint is
   * deleted and, at the same time, the IPs it names and those {@code recorded} for it without being
   * named are released (so no endpoint names a released IP beyond this DEL; whichever half a crash
   * cuts off, the next DEL finds the endpoint or the records and finishes). A StatefulSet pod its
   * StatefulSet still wants, or a VM's launcher pod while the VM lives, keeps both.
   */
  private Future<Void> releaseHolder(String namespace, String name, String uid, Map<String, Set<String>> recorded) {
    return endpoints.get(namespace, name).compose(se -> {
      if (!EndpointView.isFor(se, uid)) {
        return release(uid, recorded);
      }
      String owner = EndpointView.ownerType(se);
      boolean stateful = config.enableStatefulSet() && "StatefulSet".equals(owner);
      boolean vm = config.enableKubevirtStaticIP() && TopController.KUBEVIRT_VMI.equals(owner);
      Future<Boolean> kept = !stateful && !vm ? Future.succeededFuture(false)
          : stateful ? owners.statefulSetWants(namespace, EndpointView.ownerName(se), name)
          : owners.kubevirt().vmHolds(namespace, EndpointView.ownerName(se));
      return kept.compose(wanted -> {
        if (wanted) {
          LOG.debug("{} {} still holds the IPs of {}", owner, EndpointView.ownerName(se), EndpointView.key(se));
          return Future.succeededFuture();
        }
        Map<String, Set<String>> ips = new HashMap<>();
        recorded.forEach((pool, some) -> ips.computeIfAbsent(pool, p -> new HashSet<>()).addAll(some));
        NicDetails.ipsByPool(EndpointView.nics(se)).forEach((pool, some) -> ips.computeIfAbsent(pool, p -> new HashSet<>())
            .addAll(some));
        return Future.all(endpoints.delete(se), release(uid, ips)).mapEmpty();
      });
    });
  }

  /** Drops the records of {@code uid} for {@code ips} (by pool); another UID's records stay. */
  private Future<Void> release(String uid, Map<String, Set<String>> ips) {
    List<Future<?>> releases = new ArrayList<>();
    ips.forEach((pool, some) -> releases.add(writers.of(pool).submit(new PoolRequest.Release(uid, some))));
    return Future.all(releases).mapEmpty();
  }
}
