package io.spidernet.spiderpool.agent.ipam;

import io.fabric8.kubernetes.api.model.Pod;
import io.spidernet.spiderpool.agent.config.AgentConfig;
import io.spidernet.spiderpool.agent.kube.AgentCaches;
import io.spidernet.spiderpool.agent.metrics.IpamMetrics;
import io.spidernet.spiderpool.api.v2beta1.IPAllocationDetail;
import io.spidernet.spiderpool.api.v2beta1.SpiderEndpoint;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.core.IpamException;
import io.spidernet.spiderpool.core.IpamException.Reason;
import io.spidernet.spiderpool.core.endpoint.EndpointView;
import io.spidernet.spiderpool.core.endpoint.Endpoints;
import io.spidernet.spiderpool.core.ippool.PoolOutcome;
import io.spidernet.spiderpool.core.ippool.PoolRequest;
import io.spidernet.spiderpool.core.ippool.PoolWriters;
import io.spidernet.spiderpool.core.kube.Kube;
import io.spidernet.spiderpool.core.kube.KubeNames;
import io.spidernet.spiderpool.core.pod.Kubevirt;
import io.spidernet.spiderpool.core.pod.Owners;
import io.spidernet.spiderpool.core.pod.PodRules;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CNI ADD (spec 4.2): gives every NIC the request covers an IP of each family from the first of
 * its candidate pools that has one, and records them in the pools and in the pod's SpiderEndpoint.
 * A retried ADD returns what the pod holds. An allocation either completes or leaves nothing of its
 * own: when one NIC or family fails, or the deadline passes first, the IPs this request recorded are
 * released and the endpoint entries it wrote are removed; what the pod held before (a retry's IPs,
 * a StatefulSet's or VM's rebound IPs) is never touched. Callable from an event loop; the returned
 * future may complete on any thread.
 */
public final class Allocator {
  private static final Logger LOG = LoggerFactory.getLogger(Allocator.class);

  private final Vertx vertx;
  private final AgentConfig config;
  private final String agentNamespace;
  private final String clusterNetwork;
  private final Kube kube;
  private final AgentCaches caches;
  private final PodResolver pods;
  private final Endpoints endpoints;
  private final PoolWriters writers;
  private final PodLocks locks;
  private final IpamMetrics metrics;
  private final MasterInterfaces masters;
  private final Kubevirt kubevirt;
  private final Rollback rollback;
  private final AutoPoolCandidates autoPools;

  public Allocator(Vertx vertx, AgentConfig config, String agentNamespace, String clusterNetwork, Kube kube,
      AgentCaches caches, Owners owners, PodResolver pods, Endpoints endpoints, PoolWriters writers, PodLocks locks,
      IpamMetrics metrics, MasterInterfaces masters, AutoPoolCandidates autoPools) {
    this.vertx = vertx;
    this.config = config;
    this.agentNamespace = agentNamespace;
    this.clusterNetwork = clusterNetwork;
    this.kube = kube;
    this.caches = caches;
    this.pods = pods;
    this.endpoints = endpoints;
    this.writers = writers;
    this.locks = locks;
    this.metrics = metrics;
    this.masters = masters;
    this.kubevirt = owners.kubevirt();
    this.rollback = new Rollback(vertx, metrics);
    this.autoPools = autoPools;
  }

  /** An ADD for one NIC of one pod incarnation; {@code requestId} names it in log lines. */
  public record Request(String namespace, String name, String uid, String containerId, CandidateRules.CniInputs cni,
      String requestId) {
    String key() {
      return namespace + "/" + name;
    }
  }

  /**
   * The pod's NICs after this ADD (every NIC allocated so far, not just the requested one). A
   * request without a pod UID (a runtime whose CNI_ARGS carry none) is for the live pod of that name,
   * as upstream has it.
   */
  public Future<Allocation> allocate(Request request, Duration deadline) {
    if (request.uid() == null || request.uid().isEmpty()) {
      return pods.pod(request.namespace(), request.name(), null).compose(pod -> pod == null
          ? allocate(request, deadline, null) // fails naming the pod, counted as any failure
          : allocate(new Request(request.namespace(), request.name(), pod.getMetadata().getUid(), request.containerId(),
              request.cni(), request.requestId()), deadline, pod));
    }
    return allocate(request, deadline, null);
  }

  /** {@code known}: the pod as just read for this request, or null to read it. */
  private Future<Allocation> allocate(Request request, Duration deadline, Pod known) {
    long start = System.nanoTime();
    AtomicBoolean decided = new AtomicBoolean();
    Promise<Allocation> answer = Promise.promise();
    long timer = vertx.setTimer(Math.max(1, deadline.toMillis()), t -> {
      if (decided.compareAndSet(false, true)) {
        answer.fail(new IpamException(Reason.DEADLINE, "allocation for pod " + request.key() + " did not finish within "
            + deadline.toMillis() + " ms; nothing was kept, retry"));
      }
    });
    Taken taken = new Taken();
    locks.run(request.uid(), () -> allocateLocked(request, taken, known)
        .compose(recorded -> {
          if (decided.compareAndSet(false, true)) {
            answer.complete(recorded);
            return Future.succeededFuture();
          }
          LOG.warn("[{}] pod {} {}: allocation finished after its deadline; releasing what it took: {}",
              request.requestId(), request.key(), request.uid(), taken);
          return undoLate(request, taken);
        }, e -> {
          if (taken.endpointName == null) { // failed before the pod was known: nothing written
            if (decided.compareAndSet(false, true)) {
              answer.fail(e);
            }
            return Future.succeededFuture();
          }
          // The pod's endpoint must name only what the pools record before the failure is answered:
          // one attempt first (none with the API server unreachable), retries after answering, the
          // pod's lock held throughout.
          Supplier<Future<Void>> cleanUp = () -> dropUnrecorded(taken.endpointNamespace, taken.endpointName, request.uid());
          Future<Void> first = IpamException.reasonOf(e) == Reason.API_UNREACHABLE ? Future.failedFuture(e) : cleanUp.get();
          return first.transform(ar -> {
            if (decided.compareAndSet(false, true)) {
              answer.fail(e);
            }
            return ar.succeeded() ? Future.succeededFuture()
                : rollback.run("the SpiderEndpoint of the failed ADD of pod " + request.key() + " " + request.uid(), cleanUp);
          });
        }))
        .onComplete(x -> vertx.cancelTimer(timer));
    return answer.future().andThen(ar -> {
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      if (ar.succeeded()) {
        metrics.allocated(took);
      } else {
        metrics.allocationFailed(IpamException.reasonOf(ar.cause()));
      }
    });
  }

  /**
   * What an ADD answers: the pod's NICs (every NIC allocated so far, not just the requested one), and
   * whether the pod is the target of a KubeVirt live migration, whose IPs the source pod still uses
   * (spec 4.2 step 5: no IP conflict detection for it).
   */
  public record Allocation(List<IPAllocationDetail> nics, boolean liveMigrationTarget) {}

  /**
   * What one request itself wrote, so that a late answer undoes exactly that: the IPs it recorded
   * fresh (not those it found held) and the endpoint it wrote them into.
   */
  private static final class Taken {
    final Set<HeldIP> fresh = ConcurrentHashMap.newKeySet();
    volatile String endpointNamespace;
    volatile String endpointName;

    @Override
    public String toString() {
      return fresh.stream().map(h -> h.ip() + " of " + h.pool()).toList().toString();
    }
  }

  private Future<Allocation> allocateLocked(Request request, Taken taken, Pod known) {
    return (known != null ? Future.succeededFuture(known) : pods.pod(request.namespace(), request.name(), request.uid()))
        .compose(pod -> {
          if (pod == null) {
            return Future.failedFuture(new IpamException(Reason.API_ERROR, "pod " + request.key() + " not found"));
          }
          // The UID first: a stale copy of a former incarnation says nothing about whether this one lives.
          if (!pod.getMetadata().getUid().equals(request.uid())) {
            return Future.failedFuture(new IpamException(Reason.API_ERROR, "pod " + request.key() + " has UID "
                + pod.getMetadata().getUid() + ", the request is for UID " + request.uid() + " (the pod was re-created)"));
          }
          if (!PodRules.alive(pod)) {
            return Future.failedFuture(new IpamException(Reason.REFUSED,
                "dead Pod " + request.key() + ", we cannot allocate IP addresses to it"));
          }
          return pods.context(pod).map(context -> context.holder(config));
        })
        .compose(pod -> {
          taken.endpointNamespace = pod.namespace();
          taken.endpointName = pod.name();
          return liveMigrationTarget(pod).compose(migration -> (config.keepsIPs(pod.owner())
              // A StatefulSet pod or a VM's launcher pod may take over its predecessor's IPs: read the endpoint first.
              ? endpoints.get(pod.namespace(), pod.name()).compose(se -> existing(request, pod, se, taken))
              // Others allocate straight away: the pools' UID-keyed records make a retry return the
              // same IPs, and recording the endpoint finds any existing one (see fresh()).
              : fresh(request, pod, false, null, taken))
              .map(nics -> new Allocation(nics, migration)));
        });
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
  private Future<List<IPAllocationDetail>> existing(Request request, PodContext pod, SpiderEndpoint se, Taken taken) {
    boolean stateful = config.keepsIPs(pod.owner());
    String seUid = EndpointView.uid(se);
    if (se == null || seUid == null) {
      // No endpoint, or one that names no pod (written by hand): nothing to take over.
      return (se == null ? Future.<Void>succeededFuture() : endpoints.delete(se))
          .compose(v -> fresh(request, pod, stateful, null, taken));
    }
    List<IPAllocationDetail> held = EndpointView.nics(se);
    boolean hasNic = held.stream().anyMatch(d -> request.cni().nic().equals(d.nic));
    if (stateful && hasNic) {
      return rebind(pod, se);
    }
    if (!seUid.equals(pod.uid())) {
      // A stale endpoint of a former incarnation: release what it holds, then start afresh.
      return releaseAll(seUid, held).compose(v -> endpoints.delete(se)).compose(v -> fresh(request, pod, stateful, null, taken));
    }
    if (hasNic) {
      return Future.succeededFuture(held);
    }
    return fresh(request, pod, stateful, se, taken);
  }

  /** A StatefulSet pod's new incarnation, or a VM's new launcher pod, takes over the IPs (records and endpoint). */
  private Future<List<IPAllocationDetail>> rebind(PodContext pod, SpiderEndpoint se) {
    String oldUid = EndpointView.uid(se);
    if (oldUid.equals(pod.uid())) {
      return Future.succeededFuture(EndpointView.nics(se));
    }
    List<Future<?>> writes = new ArrayList<>();
    for (Map.Entry<String, Set<String>> e : NicDetails.ipsByPool(EndpointView.nics(se)).entrySet()) {
      for (String ip : e.getValue()) {
        writes.add(writers.of(e.getKey()).submit(new PoolRequest.Rebind(ip, pod.key(), oldUid, pod.uid()))
            .compose(outcome -> outcome instanceof PoolOutcome.Exhausted x
                ? Future.failedFuture(new IpamException(x.reason(), x.message())) : Future.succeededFuture(outcome)));
      }
    }
    return Future.all(writes).compose(v -> endpoints.rebind(se, pod.endpoint())).map(EndpointView::nics);
  }

  private Future<List<IPAllocationDetail>> fresh(Request request, PodContext pod, boolean stateful, SpiderEndpoint known,
      Taken taken) {
    Future<List<NicCandidates>> selected;
    if (autoPools.applies(pod)) {
      selected = autoPools.candidates(pod, request.cni());
    } else {
      try {
        selected = Future.succeededFuture(CandidateRules.select(pod, request.cni(), config, caches.pools()));
      } catch (IpamException e) {
        return Future.failedFuture(e);
      }
    }
    Future<MasterInterfaces.Master> master = request.cni().matchMasterSubnet()
        ? vertx.executeBlocking(() -> masters.of(request.cni().deviceId()), false)
        : Future.succeededFuture();
    return selected.compose(nics -> master.compose(m -> poolsByName(nics)
        .compose(pools -> allocateNics(request, pod, stateful, known, nics, pools, m, taken))));
  }

  /**
   * The candidate pools by name: from the informer cache, and from the API server for a pool the
   * cache does not have yet (one created a moment before the pod).
   */
  private Future<Map<String, SpiderIPPool>> poolsByName(List<NicCandidates> nics) {
    Map<String, SpiderIPPool> pools = new ConcurrentHashMap<>();
    List<Future<?>> fetches = new ArrayList<>();
    for (NicCandidates nic : nics) {
      for (String name : concat(nic.ipv4(), nic.ipv6())) {
        SpiderIPPool cached = caches.pool(name);
        if (cached != null) {
          pools.put(name, cached);
        } else if (!pools.containsKey(name)) {
          fetches.add(kube.call(() -> kube.client().resources(SpiderIPPool.class).withName(KubeNames.object("IPPool", name)).get())
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
      SpiderEndpoint known, List<NicCandidates> nics, Map<String, SpiderIPPool> pools, MasterInterfaces.Master master,
      Taken taken) {
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
        takes.add(take(pod, nic, version, candidates, 0, new ArrayList<>(), plan)
            .onSuccess(h -> {
              if (h.fresh()) {
                taken.fresh.add(h);
              }
            }));
      }
    }
    Future<SpiderEndpoint> early = stateful || known != null ? Future.succeededFuture() : createEarly(request, pod, nics, planned);
    return Future.join(takes).transform(ar -> early.transform(e ->
        settle(request, pod, stateful, known, nics, takes, planned, e.result())));
  }

  /**
   * A pod without an endpoint yet, the common case, has it created as soon as the pools' batches
   * have planned its IPs, while their writes are in flight: the two API writes of an ADD overlap
   * instead of adding up. Completes with null when it could not (an endpoint exists, a NIC failed,
   * the create failed: then {@link #settle} records the endpoint the ordinary way).
   */
  private Future<SpiderEndpoint> createEarly(Request request, PodContext pod, List<NicCandidates> nics,
      List<Future<HeldIP>> planned) {
    return Future.all(planned)
        .compose(v -> endpoints.create(pod.endpoint(), NicDetails.assemble(nics, results(planned), pod), request.containerId())
            .onFailure(e -> LOG.warn("pod {} {}: creating its SpiderEndpoint early failed, recording it after the pool "
                + "writes instead: {}", pod.key(), pod.uid(), e.getMessage())))
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
      return undo(pod, got, early).transform(x -> Future.failedFuture(error));
    }
    List<IPAllocationDetail> details;
    try {
      details = NicDetails.assemble(nics, got, pod);
    } catch (IpamException e) {
      return undo(pod, got, early).transform(x -> Future.failedFuture(e));
    }
    if (early != null && samePoolsAndIPs(results(planned), got)) {
      return Future.succeededFuture(EndpointView.nics(early));
    }
    Predicate<IPAllocationDetail> committed = nic -> NicDetails.ipsByPool(List.of(nic)).entrySet().stream()
        .allMatch(e -> e.getValue().stream().allMatch(ip -> writers.holds(e.getKey(), ip, pod.uid())));
    return endpoints.record(pod.endpoint(), stateful, details, early != null ? early : known, request.containerId(), committed)
        .recover(e -> e instanceof Endpoints.StaleEndpointException stale
            // A former incarnation's endpoint: release what it holds, drop it, record ours.
            ? releaseAll(EndpointView.uid(stale.endpoint()), EndpointView.nics(stale.endpoint()))
                .compose(v -> endpoints.delete(stale.endpoint()))
                .compose(v -> endpoints.record(pod.endpoint(), stateful, details, null, request.containerId(), committed))
            : Future.failedFuture(e))
        .compose(se -> releaseUnrecorded(pod.uid(), got, EndpointView.nics(se)).map(v -> EndpointView.nics(se)))
        .recover(e -> undo(pod, got, early).transform(x -> Future.failedFuture(e)));
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

  /** Rolls back a failed ADD: the endpoint it created early and the IPs it recorded, each retried and logged. */
  private Future<Void> undo(PodContext pod, List<HeldIP> got, SpiderEndpoint early) {
    String what = "pod " + pod.key() + " " + pod.uid() + " IPs " + got.stream().filter(HeldIP::fresh).map(HeldIP::ip).toList();
    Future<Void> endpoint = early == null ? Future.succeededFuture()
        : rollback.run("the early SpiderEndpoint of " + what, () -> endpoints.delete(early));
    return endpoint.compose(v -> rollback.run("the records of " + what, () -> releaseHeld(pod.uid(), got)));
  }

  /**
   * Rolls back an ADD that answered too late: only what it took itself. The IPs it recorded fresh
   * are released and dropped from the endpoint (which is deleted when nothing of the incarnation is
   * left in it); IPs the pod held before this request, rebound or returned to a retry, stay.
   */
  private Future<Void> undoLate(Request request, Taken taken) {
    if (taken.fresh.isEmpty()) {
      return Future.succeededFuture();
    }
    List<HeldIP> fresh = List.copyOf(taken.fresh);
    Set<String> ips = new java.util.HashSet<>();
    fresh.forEach(h -> ips.add(h.ip()));
    String what = "late ADD of pod " + request.key() + " " + request.uid() + " IPs " + ips;
    return rollback.run("the endpoint entries of " + what,
            () -> endpoints.dropIPs(taken.endpointNamespace, taken.endpointName, request.uid(), ips))
        .compose(v -> rollback.run("the records of " + what, () -> releaseHeld(request.uid(), fresh)));
  }

  /**
   * One IP of one family for one NIC: the candidates in order, the first with a free IP wins.
   * {@code plan} learns the IP (and pool) as soon as a batch plans it, before the write commits.
   */
  private Future<HeldIP> take(PodContext pod, NicCandidates nic, int version, List<SpiderIPPool> pools, int i,
      List<Throwable> errors, Promise<HeldIP> plan) {
    if (i == pools.size()) {
      // Full, disabled or terminating everywhere is "used out"; any other failure (the API server) may pass.
      Reason reason = errors.stream().map(IpamException::reasonOf).filter(Reason::isTransient).findFirst()
          .orElse(errors.stream().map(IpamException::reasonOf).allMatch(r -> r == Reason.POOL_EXHAUSTED)
              ? Reason.POOL_EXHAUSTED : Reason.REFUSED);
      IpamException failure = new IpamException(reason, "failed to allocate any IPv" + version + " IP address to NIC "
          + nic.nic() + " from IPPools " + pools.stream().map(p -> p.getMetadata().getName()).toList() + ": "
          + errors.stream().map(Throwable::getMessage).toList());
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
          errors.add(ar.succeeded() ? new IpamException(((PoolOutcome.Exhausted) ar.result()).reason(),
              ((PoolOutcome.Exhausted) ar.result()).message()) : ar.cause());
          return take(pod, nic, version, pools, i + 1, errors, plan);
        });
  }

  /**
   * After a failed ADD: removes from the endpoint of incarnation {@code uid} every NIC entry naming
   * an IP its pool does not record for that incarnation (written early, ahead of a pool write that
   * another agent won, by this ADD or by an agent killed before it could correct it), and the
   * endpoint when none is left: an endpoint never names another pod's IP longer than the ADD that
   * finds it. The API server's current pools decide, not the caches.
   */
  private Future<Void> dropUnrecorded(String namespace, String name, String uid) {
    return endpoints.get(namespace, name).compose(se -> {
      if (!EndpointView.isFor(se, uid)) {
        return Future.succeededFuture();
      }
      List<Future<Set<String>>> checks = new ArrayList<>();
      NicDetails.ipsByPool(EndpointView.nics(se)).forEach((pool, ips) -> checks.add(writers.unrecordedNow(pool, ips, uid)));
      return Future.all(checks).compose(v -> {
        Set<String> drop = new java.util.HashSet<>();
        checks.forEach(f -> drop.addAll(f.result()));
        if (drop.isEmpty()) {
          return Future.succeededFuture();
        }
        LOG.warn("SpiderEndpoint {}/{} of UID {} named {}, which its pools do not record for it: removed", namespace,
            name, uid, drop);
        return endpoints.dropIPs(namespace, name, uid, drop);
      });
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
    return Future.all(releases).mapEmpty();
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

  /** Releases every IP of {@code nics} recorded for {@code uid}. */
  Future<Void> releaseAll(String uid, List<IPAllocationDetail> nics) {
    List<Future<?>> releases = new ArrayList<>();
    NicDetails.ipsByPool(nics).forEach((pool, ips) -> releases.add(writers.of(pool).submit(new PoolRequest.Release(uid, ips))));
    return Future.all(releases).mapEmpty();
  }
}
