package io.spidernet.spiderpool.agent.ipam;

import io.fabric8.kubernetes.api.model.Pod;
import io.spidernet.spiderpool.agent.config.AgentConfig;
import io.spidernet.spiderpool.agent.endpoint.Endpoints;
import io.spidernet.spiderpool.agent.ippool.PoolOutcome;
import io.spidernet.spiderpool.agent.ippool.PoolRequest;
import io.spidernet.spiderpool.agent.ippool.PoolWriters;
import io.spidernet.spiderpool.agent.kube.Kube;
import io.spidernet.spiderpool.agent.metrics.IpamMetrics;
import io.spidernet.spiderpool.api.ip.IP;
import io.spidernet.spiderpool.api.v2beta1.IPAllocationDetail;
import io.spidernet.spiderpool.api.v2beta1.SpiderEndpoint;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CNI ADD (spec 4.2): gives every NIC the request covers an IP of each family from the first of
 * its candidate pools that has one, and records them in the pools and in the pod's SpiderEndpoint.
 * A retried ADD returns what the pod holds. An allocation either completes or leaves nothing: when
 * one NIC or family fails, or the deadline passes first, the IPs taken for it are released.
 * Callable from an event loop.
 */
public final class Allocator {
  private static final Logger LOG = LoggerFactory.getLogger(Allocator.class);

  private final Vertx vertx;
  private final AgentConfig config;
  private final String agentNamespace;
  private final String clusterNetwork;
  private final Kube kube;
  private final PodResolver pods;
  private final Endpoints endpoints;
  private final PoolWriters writers;
  private final PodLocks locks;
  private final IpamMetrics metrics;
  private final MasterInterfaces masters;
  private final Kubevirt kubevirt;

  public Allocator(Vertx vertx, AgentConfig config, String agentNamespace, String clusterNetwork, Kube kube,
      PodResolver pods, Endpoints endpoints, PoolWriters writers, PodLocks locks, IpamMetrics metrics,
      MasterInterfaces masters) {
    this.vertx = vertx;
    this.config = config;
    this.agentNamespace = agentNamespace;
    this.clusterNetwork = clusterNetwork;
    this.kube = kube;
    this.pods = pods;
    this.endpoints = endpoints;
    this.writers = writers;
    this.locks = locks;
    this.metrics = metrics;
    this.masters = masters;
    this.kubevirt = new Kubevirt(kube);
  }

  /** An ADD for one NIC of one pod incarnation. */
  public record Request(String namespace, String name, String uid, String containerId, CandidateRules.CniInputs cni) {
    String key() {
      return namespace + "/" + name;
    }
  }

  /** The pod's NICs after this ADD (every NIC allocated so far, not just the requested one). */
  public Future<Allocation> allocate(Request request, Duration deadline) {
    long start = System.nanoTime();
    AtomicBoolean decided = new AtomicBoolean();
    Promise<Allocation> answer = Promise.promise();
    long timer = vertx.setTimer(Math.max(1, deadline.toMillis()), t -> {
      if (decided.compareAndSet(false, true)) {
        answer.fail(new IpamException("allocation for pod " + request.key() + " did not finish within "
            + deadline.toMillis() + " ms; nothing was kept, retry", true));
      }
    });
    locks.run(request.uid(), () -> allocateLocked(request)
        .compose(recorded -> {
          if (decided.compareAndSet(false, true)) {
            answer.complete(recorded.allocation());
            return Future.succeededFuture();
          }
          LOG.warn("pod {}: allocation finished after its deadline; releasing what it took", request.key());
          return releaseFresh(request, recorded);
        }, e -> {
          if (decided.compareAndSet(false, true)) {
            answer.fail(e);
          }
          return Future.succeededFuture();
        }))
        .onComplete(x -> vertx.cancelTimer(timer));
    return answer.future().andThen(ar -> {
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      if (ar.succeeded()) {
        metrics.allocated(took);
      } else {
        metrics.allocationFailed(ar.cause().getMessage());
      }
    });
  }

  /**
   * What an ADD answers: the pod's NICs (every NIC allocated so far, not just the requested one), and
   * whether the pod is the target of a KubeVirt live migration, whose IPs the source pod still uses
   * (spec 4.2 step 5: no IP conflict detection for it).
   */
  public record Allocation(List<IPAllocationDetail> nics, boolean liveMigrationTarget) {}

  /** What an ADD recorded, under the endpoint of that name (the pod's, or its VMI's). */
  private record Recorded(String endpoint, Allocation allocation) {}

  private Future<Recorded> allocateLocked(Request request) {
    return pods.pod(request.namespace(), request.name())
        .compose(pod -> {
          if (pod == null) {
            return Future.failedFuture(new IpamException("pod " + request.key() + " not found", true));
          }
          if (!PodResolver.alive(pod)) {
            return Future.failedFuture(new IpamException(
                "dead Pod " + request.key() + ", we cannot allocate IP addresses to it"));
          }
          if (!pod.getMetadata().getUid().equals(request.uid())) {
            return Future.failedFuture(new IpamException("pod " + request.key() + " has UID " + pod.getMetadata().getUid()
                + ", the request is for UID " + request.uid() + " (the pod was re-created)", true));
          }
          return pods.context(pod).map(context -> context.holder(config));
        })
        .compose(pod -> liveMigrationTarget(pod).compose(migration -> (pod.owner().keepsIPs(config)
            // A StatefulSet pod or a VM's launcher pod may take over its predecessor's IPs: read the endpoint first.
            ? endpoints.get(pod.namespace(), pod.name()).compose(se -> existing(request, pod, se))
            // Others allocate straight away: the pools' UID-keyed records make a retry return the
            // same IPs, and recording the endpoint finds any existing one (see fresh()).
            : fresh(request, pod, false, null))
            .map(nics -> new Recorded(pod.name(), new Allocation(nics, migration)))));
  }

  private Future<Boolean> liveMigrationTarget(PodContext pod) {
    return config.enableKubevirtStaticIP() && pod.owner().isKubevirtVMI()
        ? kubevirt.migrationTarget(pod.namespace(), pod.annotations())
        : Future.succeededFuture(false);
  }

  /**
   * What the endpoint of a pod that keeps its IPs (StatefulSet, KubeVirt VMI) means for this ADD
   * (spec 4.2 steps 3-5), then fresh allocation.
   */
  private Future<List<IPAllocationDetail>> existing(Request request, PodContext pod, SpiderEndpoint se) {
    boolean stateful = pod.owner().keepsIPs(config);
    if (se == null) {
      return fresh(request, pod, stateful, null);
    }
    String seUid = se.getStatus().current.uid;
    List<IPAllocationDetail> held = se.getStatus().current.ips;
    boolean hasNic = held.stream().anyMatch(d -> request.cni().nic().equals(d.nic));
    if (stateful && hasNic) {
      return rebind(pod, se);
    }
    if (!seUid.equals(pod.uid())) {
      // A stale endpoint of a former incarnation: release what it holds, then start afresh.
      return releaseAll(seUid, held).compose(v -> endpoints.delete(se)).compose(v -> fresh(request, pod, stateful, null));
    }
    if (hasNic) {
      return Future.succeededFuture(held);
    }
    return fresh(request, pod, stateful, se);
  }

  /** A StatefulSet pod's new incarnation, or a VM's new launcher pod, takes over the IPs (records and endpoint). */
  private Future<List<IPAllocationDetail>> rebind(PodContext pod, SpiderEndpoint se) {
    String oldUid = se.getStatus().current.uid;
    if (oldUid.equals(pod.uid())) {
      return Future.succeededFuture(se.getStatus().current.ips);
    }
    List<Future<?>> writes = new ArrayList<>();
    for (Map.Entry<String, Set<String>> e : NicDetails.ipsByPool(se.getStatus().current.ips).entrySet()) {
      for (String ip : e.getValue()) {
        writes.add(writers.of(e.getKey()).submit(new PoolRequest.Rebind(ip, pod.key(), oldUid, pod.uid()))
            .compose(outcome -> outcome instanceof PoolOutcome.Exhausted x
                ? Future.failedFuture(new IpamException(x.message())) : Future.succeededFuture(outcome)));
      }
    }
    return Future.all(writes).compose(v -> endpoints.rebind(se, pod)).map(updated -> updated.getStatus().current.ips);
  }

  private Future<List<IPAllocationDetail>> fresh(Request request, PodContext pod, boolean stateful, SpiderEndpoint known) {
    List<NicCandidates> nics;
    try {
      nics = CandidateRules.select(pod, request.cni(), config, kube.cachedPools());
    } catch (IpamException e) {
      return Future.failedFuture(e);
    }
    Future<MasterInterfaces.Master> master = request.cni().matchMasterSubnet()
        ? vertx.executeBlocking(() -> masters.of(request.cni().deviceId()), false)
        : Future.succeededFuture();
    return master.compose(m -> poolsByName(nics).compose(pools -> allocateNics(request, pod, stateful, known, nics, pools, m)));
  }

  /**
   * The candidate pools by name: from the informer cache, and from the API server for a pool the
   * cache does not have yet (one created a moment before the pod).
   */
  private Future<Map<String, SpiderIPPool>> poolsByName(List<NicCandidates> nics) {
    Map<String, SpiderIPPool> pools = new java.util.concurrent.ConcurrentHashMap<>();
    List<Future<?>> fetches = new ArrayList<>();
    for (NicCandidates nic : nics) {
      for (String name : concat(nic.ipv4(), nic.ipv6())) {
        SpiderIPPool cached = kube.cachedPool(name);
        if (cached != null) {
          pools.put(name, cached);
        } else if (!pools.containsKey(name)) {
          fetches.add(kube.call(() -> kube.client().resources(SpiderIPPool.class).withName(name).get())
              .onSuccess(p -> {
                if (p != null) {
                  pools.put(name, p);
                }
              }));
        }
      }
    }
    return Future.all(fetches).map(v -> pools);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private Future<List<IPAllocationDetail>> allocateNics(Request request, PodContext pod, boolean stateful,
      SpiderEndpoint known, List<NicCandidates> nics, Map<String, SpiderIPPool> pools, MasterInterfaces.Master master) {
    List<Future<HeldIP>> takes = new ArrayList<>();
    List<Future<HeldIP>> planned = new ArrayList<>();
    for (NicCandidates nic : nics) {
      for (int version : new int[] {4, 6}) {
        List<String> names = version == 4 ? nic.ipv4() : nic.ipv6();
        if (names.isEmpty()) {
          continue;
        }
        List<SpiderIPPool> candidates;
        try {
          // The CNI configuration's master matching applies to the NIC it sets up, not to others of the pod.
          candidates = PoolFilter.filter(version, nic.nic(), names, pod, pools::get, agentNamespace, clusterNetwork,
              nic.nic().equals(request.cni().nic()) ? master : null);
        } catch (IpamException e) {
          takes.add(Future.failedFuture(e));
          planned.add(Future.failedFuture(e));
          continue;
        }
        Promise<HeldIP> plan = Promise.promise();
        planned.add(plan.future());
        takes.add(take(pod, nic, version, candidates, 0, new ArrayList<>(), plan));
      }
    }
    Future<SpiderEndpoint> early = stateful || known != null ? Future.succeededFuture() : createEarly(request, pod, nics, planned);
    return Future.join(takes).transform(ar -> early.transform(e ->
        settle(request, pod, stateful, known, nics, takes, planned, e.result())));
  }

  /**
   * A pod without an endpoint yet, the common case, has it created as soon as the pools' batches
   * have planned its IPs, while their writes are in flight: the two API writes of an ADD overlap
   * instead of adding up. Completes with null when it could not (an endpoint exists, a NIC failed).
   */
  private Future<SpiderEndpoint> createEarly(Request request, PodContext pod, List<NicCandidates> nics,
      List<Future<HeldIP>> planned) {
    return Future.all(planned)
        .compose(v -> endpoints.create(pod, NicDetails.assemble(nics, results(planned), pod), request.containerId()))
        .otherwise((SpiderEndpoint) null);
  }

  /**
   * Completes an ADD once its pool writes are done: keeps the early endpoint when it shows what the
   * pools committed, else records the endpoint; on any failure releases what this ADD took and
   * removes the early endpoint.
   */
  private Future<List<IPAllocationDetail>> settle(Request request, PodContext pod, boolean stateful, SpiderEndpoint known,
      List<NicCandidates> nics, List<Future<HeldIP>> takes, List<Future<HeldIP>> planned, SpiderEndpoint early) {
    List<HeldIP> got = new ArrayList<>();
    Throwable firstError = null;
    for (Future<HeldIP> f : takes) {
      if (f.succeeded()) {
        got.add(f.result());
      } else if (firstError == null) {
        firstError = f.cause();
      }
    }
    if (firstError != null) {
      Throwable error = firstError;
      return undo(pod.uid(), got, early).transform(x -> Future.failedFuture(error));
    }
    List<IPAllocationDetail> details;
    try {
      details = NicDetails.assemble(nics, got, pod);
    } catch (IpamException e) {
      return undo(pod.uid(), got, early).transform(x -> Future.failedFuture(e));
    }
    if (early != null && samePoolsAndIPs(results(planned), got)) {
      return Future.succeededFuture(early.getStatus().current.ips);
    }
    Predicate<IPAllocationDetail> committed = nic -> NicDetails.ipsByPool(List.of(nic)).entrySet().stream()
        .allMatch(e -> e.getValue().stream().allMatch(ip -> writers.holds(e.getKey(), ip, pod.uid())));
    return endpoints.record(pod, stateful, details, early != null ? early : known, request.containerId(), committed)
        .recover(e -> e instanceof Endpoints.StaleEndpointException stale
            // A former incarnation's endpoint: release what it holds, drop it, record ours.
            ? releaseAll(stale.endpoint().getStatus().current.uid, stale.endpoint().getStatus().current.ips)
                .compose(v -> endpoints.delete(stale.endpoint()))
                .compose(v -> endpoints.record(pod, stateful, details, null, request.containerId(), committed))
            : Future.failedFuture(e))
        .compose(se -> releaseUnrecorded(pod.uid(), got, se.getStatus().current.ips)
            .map(v -> se.getStatus().current.ips))
        .recover(e -> undo(pod.uid(), got, early).transform(x -> Future.failedFuture(e)));
  }

  private static List<HeldIP> results(List<Future<HeldIP>> futures) {
    return futures.stream().map(Future::result).toList();
  }

  private static boolean samePoolsAndIPs(List<HeldIP> a, List<HeldIP> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!a.get(i).pool().equals(b.get(i).pool()) || !a.get(i).ip().equals(b.get(i).ip())) {
        return false;
      }
    }
    return true;
  }

  /** Rolls back a failed ADD: the IPs it recorded and the endpoint it created early. */
  private Future<Void> undo(String uid, List<HeldIP> got, SpiderEndpoint early) {
    Future<Void> endpoint = early == null ? Future.succeededFuture() : endpoints.delete(early).otherwise((Void) null);
    return endpoint.compose(v -> releaseHeld(uid, got));
  }

  /**
   * One IP of one family for one NIC: the candidates in order, the first with a free IP wins.
   * {@code plan} learns the IP (and pool) as soon as a batch plans it, before the write commits.
   */
  private Future<HeldIP> take(PodContext pod, NicCandidates nic, int version, List<SpiderIPPool> pools, int i,
      List<String> errors, Promise<HeldIP> plan) {
    if (i == pools.size()) {
      boolean transientFailure = errors.stream().anyMatch(m -> !m.contains("all IP addresses used out")
          && !m.contains("terminating IPPool") && !m.contains("disabled IPPool"));
      IpamException failure = new IpamException("failed to allocate any IPv" + version + " IP address to NIC "
          + nic.nic() + " from IPPools " + pools.stream().map(p -> p.getMetadata().getName()).toList() + ": " + errors,
          transientFailure);
      plan.tryFail(failure);
      return Future.failedFuture(failure);
    }
    SpiderIPPool pool = pools.get(i);
    String name = pool.getMetadata().getName();
    Promise<String> plannedIP = Promise.promise();
    plannedIP.future().onSuccess(ip -> plan.tryComplete(new HeldIP(nic.nic(), version, name, ip, true, pool)));
    return writers.of(name).submit(new PoolRequest.Allocate(pod.key(), pod.uid()), plannedIP)
        .transform(ar -> {
          if (ar.succeeded() && ar.result() instanceof PoolOutcome.Allocated a) {
            HeldIP held = new HeldIP(nic.nic(), version, name, a.ip(), a.fresh(), pool);
            plan.tryComplete(held);
            return Future.succeededFuture(held);
          }
          errors.add(ar.succeeded() ? ((PoolOutcome.Exhausted) ar.result()).message() : ar.cause().getMessage());
          return take(pod, nic, version, pools, i + 1, errors, plan);
        });
  }

  /** Releases the IPs this request recorded (fresh ones only: a held IP belongs to an earlier ADD). */
  private Future<Void> releaseHeld(String uid, List<HeldIP> got) {
    List<Future<?>> releases = new ArrayList<>();
    for (HeldIP h : got) {
      if (h.fresh()) {
        releases.add(writers.of(h.pool()).submit(new PoolRequest.Release(uid, Set.of(h.ip()))));
      }
    }
    return Future.join(releases).mapEmpty();
  }

  /**
   * Releases IPs this request took that the endpoint does not hold: a retry that chose another pool
   * than the endpoint's NIC entry keeps the recorded IP, and the new one must not leak.
   */
  private Future<Void> releaseUnrecorded(String uid, List<HeldIP> got, List<IPAllocationDetail> recorded) {
    Map<String, Set<String>> kept = NicDetails.ipsByPool(recorded);
    List<HeldIP> stray = got.stream()
        .filter(h -> h.fresh() && !kept.getOrDefault(h.pool(), Set.of()).contains(h.ip()))
        .toList();
    return stray.isEmpty() ? Future.succeededFuture() : releaseHeld(uid, stray);
  }

  /** Rolls back an ADD that answered too late: its records and its endpoint. */
  private Future<Void> releaseFresh(Request request, Recorded recorded) {
    return releaseAll(request.uid(), recorded.allocation().nics())
        .compose(v -> endpoints.get(request.namespace(), recorded.endpoint()))
        .compose(se -> se != null && request.uid().equals(se.getStatus().current.uid) ? endpoints.delete(se)
            : Future.<Void>succeededFuture());
  }

  /** Releases every IP of {@code nics} recorded for {@code uid}. */
  Future<Void> releaseAll(String uid, List<IPAllocationDetail> nics) {
    List<Future<?>> releases = new ArrayList<>();
    NicDetails.ipsByPool(nics).forEach((pool, ips) -> releases.add(writers.of(pool).submit(new PoolRequest.Release(uid, ips))));
    return Future.all(releases).mapEmpty();
  }

}
