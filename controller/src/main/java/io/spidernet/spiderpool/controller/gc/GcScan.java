package io.spidernet.spiderpool.controller.gc;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.spidernet.spiderpool.api.codec.PoolIPAllocation;
import io.spidernet.spiderpool.api.codec.PoolIPAllocations;
import io.spidernet.spiderpool.api.v2beta1.SpiderEndpoint;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.controller.runtime.Events;
import io.spidernet.spiderpool.core.endpoint.Endpoints;
import io.spidernet.spiderpool.core.ippool.PoolOutcome;
import io.spidernet.spiderpool.core.ippool.PoolRequest;
import io.spidernet.spiderpool.core.ippool.PoolWriters;
import io.spidernet.spiderpool.core.kube.Kube;
import io.spidernet.spiderpool.core.pod.Owners;
import io.spidernet.spiderpool.core.pod.PodRules;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The full GC scan (spec 6.2): every record of every pool is judged by {@link GcRules} on cached
 * facts; every record that would be released is judged again on facts read from the API server
 * (the pod and its SpiderEndpoint, uncached; its owner) and released only if the verdict stands.
 * A release removes the record only while it still carries the pod's UID (the pool's write path,
 * guarded by its resourceVersion), deletes the pod's SpiderEndpoint when the rule says so, emits an
 * {@code IPReleased} Event on the pool naming IP, pod, UID, node and rule, and counts in
 * {@code spiderpool_gc_released_ips_total{rule}}. In dry-run mode it emits
 * {@code IPReleaseWouldHappen} and changes nothing. Nothing is written once leadership is lost.
 */
public final class GcScan {
  /** Confirmations in flight at once (each reads a pod and an endpoint). */
  static final int PARALLEL = 32;
  private static final Logger LOG = LoggerFactory.getLogger(GcScan.class);

  private final Kube kube;
  private final Supplier<Collection<SpiderIPPool>> pools;
  private final GcCaches caches;
  private final PoolWriters writers;
  private final Endpoints endpoints;
  private final Owners owners;
  private final Events events;
  private final GcSettings settings;
  private final BooleanSupplier leading;
  private final MeterRegistry registry;

  /** What one scan did. */
  public record Result(int records, int candidates, int released, int wouldRelease, long judgedMillis) {}

  private record Candidate(SpiderIPPool pool, String ip, PoolIPAllocation record) {}

  /** A candidate's verdict on fresh facts, with the fresh endpoint (to delete) and the node. */
  private record Confirmed(GcVerdict verdict, SpiderEndpoint endpoint, String node) {}

  public GcScan(Kube kube, Supplier<Collection<SpiderIPPool>> pools, GcCaches caches, PoolWriters writers, Endpoints endpoints,
      Owners owners, Events events, GcSettings settings, BooleanSupplier leading, MeterRegistry registry) {
    this.kube = kube;
    this.pools = pools;
    this.caches = caches;
    this.writers = writers;
    this.endpoints = endpoints;
    this.owners = owners;
    this.events = events;
    this.settings = settings;
    this.leading = leading;
    this.registry = registry;
  }

  /** One pass over every pool. Any thread; completes when every candidate is settled. */
  public Future<Result> run() {
    // Only the records to release outlive their pool's turn: most verdicts are known at once, the
    // rest (pods whose owner is asked) are kept as futures.
    long t0 = System.nanoTime();
    List<Candidate> candidates = new ArrayList<>();
    List<Future<Candidate>> judged = new ArrayList<>();
    // The first pass reads each StatefulSet once, however many of its pods the pools record.
    Map<String, Future<StatefulSet>> statefulSets = new HashMap<>();
    int records = 0;
    for (SpiderIPPool pool : pools.get()) {
      if (pool.getStatus() == null || pool.getStatus().allocatedIPs == null) {
        continue;
      }
      Map<String, PoolIPAllocation> recorded;
      try {
        recorded = PoolIPAllocations.decode(pool.getMetadata().getName(), pool.getStatus().allocatedIPs);
      } catch (RuntimeException e) {
        LOG.warn("GC skips SpiderIPPool {}: {}", pool.getMetadata().getName(), e.getMessage());
        continue;
      }
      for (Map.Entry<String, PoolIPAllocation> r : recorded.entrySet()) {
        records++;
        Candidate c = new Candidate(pool, r.getKey(), r.getValue());
        GcPod pod = caches.pod(r.getValue().namespace(), r.getValue().name());
        GcEndpoint se = caches.endpoint(r.getValue().namespace(), r.getValue().name());
        Future<GcVerdict> verdict = verdict(c, pod, se, statefulSets);
        if (!verdict.isComplete()) {
          judged.add(verdict.map(v -> v.releases() ? c : null));
        } else if (verdict.succeeded() && verdict.result().releases()) {
          candidates.add(c);
        }
      }
    }
    int total = records;
    return Future.join(judged).transform(x -> {
      long judgedMillis = (System.nanoTime() - t0) / 1_000_000;
      for (Future<Candidate> f : judged) {
        if (f.succeeded() && f.result() != null) {
          candidates.add(f.result());
        }
      }
      AtomicInteger released = new AtomicInteger();
      AtomicInteger would = new AtomicInteger();
      return settleAll(candidates, released, would)
          .map(v -> new Result(total, candidates.size(), released.get(), would.get(), judgedMillis));
    });
  }

  /**
   * The rules' verdict on a record with these facts (the owner is asked when the pod keeps its IPs:
   * through {@code statefulSets}, read once per scan, or afresh when it is null).
   */
  private Future<GcVerdict> verdict(Candidate c, GcPod pod, GcEndpoint se, Map<String, Future<StatefulSet>> statefulSets) {
    return staticValidity(c.record(), pod, se, statefulSets).map(valid ->
        GcRules.decide(new GcFacts(c.record().podUid(), pod, se, valid, caches.nodeReady(node(pod, se)), Instant.now()), settings));
  }

  /** The node of the pod, else of its endpoint's record; null when neither says. */
  private static String node(GcPod pod, GcEndpoint se) {
    return pod != null ? pod.nodeName() : se != null ? se.node() : null;
  }

  /** Null when the pod is not one that keeps its IPs; else whether its StatefulSet or VM still wants it. */
  private Future<Boolean> staticValidity(PoolIPAllocation record, GcPod pod, GcEndpoint se,
      Map<String, Future<StatefulSet>> statefulSets) {
    String kind;
    String owner;
    if (pod != null) {
      kind = pod.ownerKind();
      owner = pod.ownerName();
    } else if (se != null) {
      kind = se.ownerKind();
      owner = se.ownerName();
    } else {
      return Future.succeededFuture(null);
    }
    if ("StatefulSet".equals(kind) && settings.statefulSets()) {
      if (statefulSets == null) {
        return owners.statefulSetWants(record.namespace(), owner, record.name());
      }
      return statefulSets.computeIfAbsent(record.namespace() + "/" + owner,
              k -> kube.call(() -> kube.client().apps().statefulSets().inNamespace(record.namespace()).withName(owner).get()))
          .map(sts -> PodRules.statefulSetWants(sts, record.name()));
    }
    if ("VirtualMachineInstance".equals(kind) && settings.kubevirt()) {
      return owners.kubevirt().vmHolds(record.namespace(), owner);
    }
    return Future.succeededFuture(null);
  }

  /** Confirms and releases the candidates, {@link #PARALLEL} at a time. */
  private Future<Void> settleAll(List<Candidate> candidates, AtomicInteger released, AtomicInteger would) {
    Promise<Void> done = Promise.promise();
    AtomicInteger next = new AtomicInteger();
    AtomicInteger running = new AtomicInteger();
    if (candidates.isEmpty()) {
      return Future.succeededFuture();
    }
    Runnable[] pump = new Runnable[1];
    pump[0] = () -> {
      while (running.get() < PARALLEL) {
        int i = next.getAndIncrement();
        if (i >= candidates.size()) {
          if (running.get() == 0) {
            done.tryComplete();
          }
          return;
        }
        running.incrementAndGet();
        settle(candidates.get(i), released, would).onComplete(ar -> {
          if (ar.failed()) {
            LOG.warn("GC of {} in SpiderIPPool {} failed (the next scan retries): {}", candidates.get(i).ip(),
                candidates.get(i).pool().getMetadata().getName(), ar.cause().getMessage());
          }
          running.decrementAndGet();
          synchronized (pump) {
            pump[0].run();
          }
        });
      }
    };
    synchronized (pump) {
      pump[0].run();
    }
    return done.future();
  }

  /** Re-reads pod and endpoint, judges again, and releases when the verdict stands. */
  private Future<Void> settle(Candidate c, AtomicInteger released, AtomicInteger would) {
    String ns = c.record().namespace();
    String name = c.record().name();
    return kube.call(() -> kube.client().pods().inNamespace(ns).withName(name).get())
        .compose(fresh -> endpoints.get(ns, name).compose(se -> {
          GcPod pod = fresh == null ? null : GcPod.of(fresh);
          GcEndpoint endpoint = se == null ? null : GcEndpoint.of(se);
          return verdict(c, pod, endpoint, null).map(verdict -> new Confirmed(verdict, se, node(pod, endpoint)));
        }))
        .compose(confirmed -> {
          GcVerdict verdict = confirmed.verdict();
          SpiderEndpoint se = confirmed.endpoint();
          if (!verdict.releases() || !leading.getAsBoolean()) {
            return Future.<Void>succeededFuture();
          }
          String node = confirmed.node() == null ? "" : confirmed.node();
          String what = c.ip() + " of pod " + c.record().pod() + " (UID " + c.record().podUid() + ", node " + node + "), rule "
              + verdict.rule() + ": " + verdict.why();
          if (settings.dryRun()) {
            would.incrementAndGet();
            events.emit(c.pool(), "Normal", Events.IP_RELEASE_WOULD_HAPPEN, "would release " + what);
            return Future.<Void>succeededFuture();
          }
          return writers.of(c.pool().getMetadata().getName())
              .submit(new PoolRequest.Release(c.record().podUid(), Set.of(c.ip())))
              .compose(outcome -> {
                if (!(outcome instanceof PoolOutcome.Released r) || r.ips().isEmpty()) {
                  return Future.<Void>succeededFuture(); // re-taken or already gone: nothing of ours to release
                }
                released.incrementAndGet();
                Counter.builder("spiderpool_gc_released_ips").tag("rule", verdict.rule()).register(registry).increment();
                LOG.info("GC released {}", what);
                Future<Void> endpoint = verdict.action() == GcVerdict.Action.RELEASE_AND_DELETE_ENDPOINT && se != null
                    && se.getStatus() != null && se.getStatus().current != null
                    && c.record().podUid().equals(se.getStatus().current.uid)
                    ? endpoints.delete(se) : Future.succeededFuture();
                events.emit(c.pool(), "Normal", Events.IP_RELEASED, "released " + what);
                return endpoint;
              });
        });
  }
}
