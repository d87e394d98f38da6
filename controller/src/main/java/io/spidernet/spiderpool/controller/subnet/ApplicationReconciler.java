package io.spidernet.spiderpool.controller.subnet;

import io.spidernet.spiderpool.api.Constants;
import io.spidernet.spiderpool.api.annotation.AnnotationException;
import io.spidernet.spiderpool.api.annotation.Annotations;
import io.spidernet.spiderpool.api.ippool.PoolRanges;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.controller.runtime.Decision;
import io.spidernet.spiderpool.controller.runtime.Events;
import io.spidernet.spiderpool.controller.runtime.Reconciler;
import io.spidernet.spiderpool.core.IpamException;
import io.spidernet.spiderpool.core.kube.Kube;
import io.spidernet.spiderpool.core.pod.TopController;
import io.spidernet.spiderpool.core.subnet.AutoPoolDemand;
import io.spidernet.spiderpool.core.subnet.AutoPoolDemands;
import io.spidernet.spiderpool.core.subnet.AutoPoolWriter;
import io.spidernet.spiderpool.core.subnet.AutoPools;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application controller (spec 6.5): every Deployment, ReplicaSet, StatefulSet, DaemonSet, Job
 * and CronJob whose pod template names SpiderSubnets gets one auto-pool per (subnet, family, NIC),
 * sized by its replicas and resized with them; when the workload goes, its auto-pools go too unless
 * they are to be kept ({@code ippool-reclaim: "false"}), to be reused by a workload of the same kind,
 * namespace and name. ReplicaSets of Deployments and Jobs of CronJobs are served through their
 * owner. Keys are {@code Kind/namespace/name}; for the auto-pools agents make for bare pods and
 * other controllers' pods, the application string ({@code v1_Pod_default_web}).
 */
public final class ApplicationReconciler implements Reconciler {
  public static final String AUTO_POOL_FAILED = "AutoIPPoolFailed";
  public static final String AUTO_POOL_SHORT = "AutoIPPoolShortOfIPs";
  /** How soon a pool that could not reach its size (too few IPs free, or still held by pods) is looked at again. */
  static final Duration SHORTFALL_RETRY = Duration.ofSeconds(5);
  /** How soon a workload whose auto-pool could not be written is looked at again. */
  static final Duration FAILURE_RETRY = Duration.ofSeconds(10);
  private static final Logger LOG = LoggerFactory.getLogger(ApplicationReconciler.class);

  private final Kube kube;
  private final Function<String, Workloads.Workload> workloads;
  private final Supplier<List<SpiderIPPool>> pools;
  private final AutoPoolWriter writer;
  private final Events events;
  private final boolean ipv4;
  private final boolean ipv6;
  private final int defaultRedundancy;
  private final Predicate<String> applicationExists;

  /** @param applicationExists whether an application string names something that exists (blocking) */
  public ApplicationReconciler(Kube kube, Function<String, Workloads.Workload> workloads, Supplier<List<SpiderIPPool>> pools,
      AutoPoolWriter writer, Events events, boolean ipv4, boolean ipv6, int defaultRedundancy, Predicate<String> applicationExists) {
    this.kube = kube;
    this.applicationExists = applicationExists;
    this.workloads = workloads;
    this.pools = pools;
    this.writer = writer;
    this.events = events;
    this.ipv4 = ipv4;
    this.ipv6 = ipv6;
    this.defaultRedundancy = defaultRedundancy;
  }

  @Override
  public String name() {
    return "application";
  }

  /**
   * The application an auto-pool serves, as a key of this loop: {@code Kind/namespace/name} for the
   * watched workloads (the pool's deletion brings it back); for bare pods and other controllers,
   * whose pools the agents make, the pool's application string (their pools go once they are gone).
   */
  public static List<String> keysOf(SpiderIPPool pool) {
    TopController app = AutoPools.applicationOf(pool);
    if (app == null) {
      return List.of();
    }
    return List.of(AutoPools.controllerMade(app) ? app.kind() + "/" + app.namespace() + "/" + app.name() : AutoPools.application(app));
  }

  @Override
  public Future<Decision> reconcile(String key) {
    if (!key.contains("/")) {
      return reclaimIfGone(key);
    }
    Workloads.Workload w = workloads.apply(key);
    if (w == null || w.object().getMetadata().getDeletionTimestamp() != null) {
      return reclaim(key);
    }
    if (w.controlledByAnother() || !AutoPoolDemands.wanted(w.templateAnnotations())) {
      return Future.succeededFuture(Decision.DONE);
    }
    List<AutoPoolDemand> demands;
    try {
      demands = AutoPoolDemands.of(w.templateAnnotations(), w.replicas(), defaultRedundancy, ipv4, ipv6, false);
    } catch (AnnotationException e) {
      events.emit(w.object(), "Warning", AUTO_POOL_FAILED, e.getMessage());
      return Future.succeededFuture(Decision.DONE); // the workload's next change brings it back
    }
    List<AutoPoolDemand> todo = demands.stream().filter(d -> !satisfied(w.app(), d)).toList();
    if (todo.isEmpty()) {
      return Future.succeededFuture(Decision.DONE);
    }
    return kube.callUnbounded(() -> {
      Decision decision = Decision.DONE;
      for (AutoPoolDemand d : todo) {
        try {
          AutoPoolWriter.Result r = writer.ensure(w.app(), d);
          if (r.shortfall() > 0) {
            String why = r.ips() < d.size()
                ? "SpiderSubnet " + d.subnet() + " has too few free IPs: auto-pool " + r.pool() + " has " + r.ips() + " of the "
                    + d.size() + " IPs " + AutoPoolWriter.describe(w.app()) + " needs"
                : "auto-pool " + r.pool() + " keeps " + r.ips() + " IPs instead of " + d.size() + " while pods still hold them";
            events.emit(w.object(), "Warning", AUTO_POOL_SHORT, why);
            decision = Decision.requeueAfter(SHORTFALL_RETRY);
          }
        } catch (IpamException e) {
          LOG.warn("{}: {}", key, e.getMessage());
          events.emit(w.object(), "Warning", AUTO_POOL_FAILED, e.getMessage());
          decision = Decision.requeueAfter(FAILURE_RETRY);
        }
      }
      return decision;
    });
  }

  /**
   * Whether the cached auto-pool for {@code d} already is what it should be: this incarnation's,
   * of the right size, labels and annotation. Then nothing needs to be read or written.
   */
  private boolean satisfied(TopController app, AutoPoolDemand d) {
    for (SpiderIPPool pool : pools.get()) {
      if (AutoPools.serves(pool, app, d.version(), d.nic()) && AutoPools.ofIncarnation(pool, app)) {
        Map<String, String> labels = pool.getMetadata().getLabels();
        Map<String, String> annotations = pool.getMetadata().getAnnotations();
        try {
          return pool.getMetadata().getDeletionTimestamp() == null
              && PoolRanges.of(pool.getMetadata().getName(), pool.getSpec()).total() == d.size()
              && String.valueOf(d.reclaim()).equals(labels.get(Constants.LABEL_IPPOOL_RECLAIM))
              && d.subnet().equals(labels.get(Constants.LABEL_OWNER_SPIDER_SUBNET))
              && annotations != null && Objects.equals(d.ipNumber(), annotations.get(Annotations.IPPOOL_IP_NUMBER));
        } catch (IllegalArgumentException e) {
          return false;
        }
      }
    }
    return false;
  }

  /** A bare pod's or another controller's pools go once it no longer exists (one uncached GET). */
  private Future<Decision> reclaimIfGone(String application) {
    List<SpiderIPPool> mine = reclaimable(app -> AutoPools.application(app).equals(application));
    if (mine.isEmpty()) {
      return Future.succeededFuture(Decision.DONE);
    }
    return kube.call(() -> applicationExists.test(application)).compose(exists -> exists
        ? Future.succeededFuture(Decision.DONE) : delete(application, mine));
  }

  /** The workload is gone: its auto-pools go, except those to be kept for a successor. */
  private Future<Decision> reclaim(String key) {
    String[] p = key.split("/", 3);
    return delete(key, reclaimable(app -> app.kind().equals(p[0]) && app.namespace().equals(p[1]) && app.name().equals(p[2])));
  }

  /** The auto-pools of the applications {@code which} names that go with them, not being deleted yet. */
  private List<SpiderIPPool> reclaimable(java.util.function.Predicate<TopController> which) {
    List<SpiderIPPool> out = new ArrayList<>();
    for (SpiderIPPool pool : pools.get()) {
      TopController app = AutoPools.applicationOf(pool);
      if (app != null && which.test(app) && AutoPools.reclaimed(pool) && pool.getMetadata().getDeletionTimestamp() == null) {
        out.add(pool);
      }
    }
    return out;
  }

  private Future<Decision> delete(String key, List<SpiderIPPool> gone) {
    if (gone.isEmpty()) {
      return Future.succeededFuture(Decision.DONE);
    }
    return kube.call(() -> {
      for (SpiderIPPool pool : gone) {
        LOG.info("{} is gone: deleting its auto-pool {}", key, pool.getMetadata().getName());
        kube.client().resource(pool).delete();
      }
      return Decision.DONE;
    });
  }
}
