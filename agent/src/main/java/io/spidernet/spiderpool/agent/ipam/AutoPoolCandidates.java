package io.spidernet.spiderpool.agent.ipam;

import io.spidernet.spiderpool.agent.config.AgentConfig;
import io.spidernet.spiderpool.agent.kube.AgentCaches;
import io.spidernet.spiderpool.api.annotation.AnnotationException;
import io.spidernet.spiderpool.api.ippool.PoolRanges;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.core.IpamException;
import io.spidernet.spiderpool.core.IpamException.Reason;
import io.spidernet.spiderpool.core.kube.Kube;
import io.spidernet.spiderpool.core.pod.TopController;
import io.spidernet.spiderpool.core.subnet.AutoPoolDemand;
import io.spidernet.spiderpool.core.subnet.AutoPoolDemands;
import io.spidernet.spiderpool.core.subnet.AutoPoolWriter;
import io.spidernet.spiderpool.core.subnet.AutoPools;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Candidate pools of a pod whose template names SpiderSubnets (spec 2.2 rule 1): its workload's
 * auto-pools, which the controller makes. Until each is there with a free IP for this pod (a pool
 * being created, or grown for a scale-up), the request waits, polling the informer cache every
 * {@code SPIDERPOOL_WAIT_SUBNET_POOL_TIME_IN_SECOND} up to {@code SPIDERPOOL_WAIT_SUBNET_POOL_MAX_RETRIES}
 * times. A pool still full then is tried anyway, and fails naming itself. Bare pods and pods of
 * other controllers get their auto-pools from the agent itself. Event-loop safe.
 */
public final class AutoPoolCandidates {
  private final Vertx vertx;
  private final AgentConfig config;
  private final AgentCaches caches;
  private final Duration pause;
  private final int retries;
  private final Kube kube;
  private final AutoPoolWriter writer;

  public AutoPoolCandidates(Vertx vertx, AgentConfig config, AgentCaches caches, Duration pause, int retries, Kube kube,
      AutoPoolWriter writer) {
    this.vertx = vertx;
    this.kube = kube;
    this.writer = writer;
    this.config = config;
    this.caches = caches;
    this.pause = pause;
    this.retries = retries;
  }

  /** Whether the pod's pools are auto-pools: the subnet feature and auto-pools are on, and it names subnets. */
  public boolean applies(PodContext pod) {
    return config.enableSpiderSubnet() && config.enableAutoPoolForApplication() && AutoPoolDemands.wanted(pod.annotations());
  }

  /** Every NIC the subnet annotations list, each with its auto-pools (the first ADD allocates them all). */
  public Future<List<NicCandidates>> candidates(PodContext pod, CandidateRules.CniInputs cni) {
    TopController app = pod.owner();
    boolean standard = AutoPools.controllerMade(app);
    boolean bare = app.kind().equals("Pod") && app.group().isEmpty();
    List<AutoPoolDemand> demands;
    try {
      // Only pods of other controllers must say how many IPs their pool holds: nothing here knows their replicas.
      demands = AutoPoolDemands.of(pod.annotations(), 1, config.clusterSubnetAutoPoolDefaultRedundantIPNumber(),
          config.enableIPv4(), config.enableIPv6(), !standard && !bare);
    } catch (AnnotationException e) {
      return Future.failedFuture(new IpamException(Reason.BAD_INPUT, "wrong input, pod " + pod.key() + ": " + e.getMessage()));
    }
    if (demands.isEmpty()) {
      return Future.failedFuture(new IpamException(Reason.NO_POOL_AVAILABLE, "pod " + pod.key() + " names SpiderSubnets only of "
          + "disabled IP families"));
    }
    if (!standard) {
      return ensured(pod, app, demands, cni);
    }
    Promise<List<NicCandidates>> found = Promise.promise();
    poll(pod, app, demands, cni, 0, found);
    return found.future();
  }

  /**
   * A bare pod's, or another controller's, auto-pools: the agent makes or resizes them itself
   * through the shared writer (spec 2.2 rule 1), as upstream does; the controller reclaims them
   * when the pod or controller is gone.
   */
  private Future<List<NicCandidates>> ensured(PodContext pod, TopController app, List<AutoPoolDemand> demands,
      CandidateRules.CniInputs cni) {
    return kube.callUnbounded(() -> {
      Map<String, List<String>[]> byNic = new LinkedHashMap<>();
      for (AutoPoolDemand d : demands) {
        AutoPoolWriter.Result r = writer.ensure(app, d);
        @SuppressWarnings("unchecked")
        List<String>[] lists = byNic.computeIfAbsent(d.nic(), k -> new List[] {new ArrayList<>(), new ArrayList<>()});
        lists[d.version() == 4 ? 0 : 1].add(r.pool());
      }
      return candidates(byNic, cni);
    });
  }

  private static List<NicCandidates> candidates(Map<String, List<String>[]> byNic, CandidateRules.CniInputs cni) {
    List<NicCandidates> out = new ArrayList<>();
    // The NIC being set up first; the others follow in the annotation's order.
    byNic.entrySet().stream().sorted((a, b) -> Boolean.compare(!a.getKey().equals(cni.nic()), !b.getKey().equals(cni.nic())))
        .forEach(e -> out.add(new NicCandidates(e.getKey(), cni.cleanGateway(), e.getValue()[0], e.getValue()[1])));
    return out;
  }

  private void poll(PodContext pod, TopController app, List<AutoPoolDemand> demands, CandidateRules.CniInputs cni, int attempt,
      Promise<List<NicCandidates>> found) {
    Map<String, List<String>[]> byNic = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    boolean room = true;
    for (AutoPoolDemand d : demands) {
      SpiderIPPool pool = find(app, d);
      if (pool == null) {
        missing.add("IPv" + d.version() + " of SpiderSubnet " + d.subnet() + " for interface " + d.nic());
        continue;
      }
      room &= hasRoom(pool, pod.uid());
      @SuppressWarnings("unchecked")
      List<String>[] lists = byNic.computeIfAbsent(d.nic(), k -> new List[] {new ArrayList<>(), new ArrayList<>()});
      lists[d.version() == 4 ? 0 : 1].add(pool.getMetadata().getName());
    }
    if (missing.isEmpty() && (room || attempt >= retries)) {
      found.complete(candidates(byNic, cni));
      return;
    }
    if (attempt >= retries) {
      found.fail(new IpamException(Reason.NO_POOL_AVAILABLE, "no auto-pool " + String.join(", ", missing) + " of "
          + AutoPoolWriter.describe(app) + " appeared within " + pause.multipliedBy(retries).toSeconds()
          + " s; the spiderpool-controller makes it: see the Events of " + AutoPoolWriter.describe(app)));
      return;
    }
    vertx.setTimer(pause.toMillis(), t -> poll(pod, app, demands, cni, attempt + 1, found));
  }

  /** This incarnation's auto-pool for the demand, not being deleted, or null. */
  private SpiderIPPool find(TopController app, AutoPoolDemand d) {
    for (SpiderIPPool pool : caches.pools()) {
      if (AutoPools.serves(pool, app, d.version(), d.nic()) && AutoPools.ofIncarnation(pool, app)
          && pool.getMetadata().getDeletionTimestamp() == null) {
        return pool;
      }
    }
    return null;
  }

  /** Whether the pool has a free IP, or already records one for this pod (a retried ADD). */
  private static boolean hasRoom(SpiderIPPool pool, String uid) {
    long allocated = pool.getStatus() == null || pool.getStatus().allocatedIPCount == null ? 0 : pool.getStatus().allocatedIPCount;
    try {
      if (allocated < PoolRanges.of(pool.getMetadata().getName(), pool.getSpec()).total()) {
        return true;
      }
    } catch (IllegalArgumentException e) {
      return true; // let the allocation say what is wrong with it
    }
    return pool.getStatus() != null && pool.getStatus().allocatedIPs != null && pool.getStatus().allocatedIPs.contains(uid);
  }
}
