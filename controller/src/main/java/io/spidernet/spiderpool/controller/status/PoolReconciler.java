package io.spidernet.spiderpool.controller.status;

import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.spidernet.spiderpool.api.Constants;
import io.spidernet.spiderpool.api.ippool.PoolRanges;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.controller.runtime.Events;
import io.spidernet.spiderpool.controller.runtime.Decision;
import io.spidernet.spiderpool.controller.runtime.Reconciler;
import io.spidernet.spiderpool.core.ippool.PoolRequest;
import io.spidernet.spiderpool.core.ippool.PoolWriters;
import io.spidernet.spiderpool.core.kube.Kube;
import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A pool's status kept true (spec 6.4): {@code allocatedIPCount} and {@code totalIPCount} written
 * through the pools' write path when they are stale; the finalizer removed once a deleted pool
 * records no IP; a Warning Event {@code PoolNearlyExhausted} when 90 % or more of its IPs become
 * allocated (once per crossing); gauges {@code spiderpool_ippool_ips{pool,kind=total|allocated|free}}.
 */
public final class PoolReconciler implements Reconciler {
  static final double NEARLY_EXHAUSTED = 0.9;

  private final Kube kube;
  private final Function<String, SpiderIPPool> cache;
  private final PoolWriters writers;
  private final Events events;
  private final MeterRegistry registry;
  private final Map<String, long[]> counts = new ConcurrentHashMap<>();
  private final Map<String, Boolean> nearlyExhausted = new ConcurrentHashMap<>();

  public PoolReconciler(Kube kube, Function<String, SpiderIPPool> cache, PoolWriters writers, Events events,
      MeterRegistry registry) {
    this.kube = kube;
    this.cache = cache;
    this.writers = writers;
    this.events = events;
    this.registry = registry;
  }

  @Override
  public String name() {
    return "ippool";
  }

  @Override
  public Future<Decision> reconcile(String name) {
    SpiderIPPool pool = cache.apply(name);
    if (pool == null) {
      counts.remove(name);
      nearlyExhausted.remove(name);
      return Future.succeededFuture(Decision.DONE);
    }
    boolean empty = pool.getStatus() == null || pool.getStatus().allocatedIPs == null || pool.getStatus().allocatedIPs.isEmpty()
        || "{}".equals(pool.getStatus().allocatedIPs);
    if (pool.getMetadata().getDeletionTimestamp() != null) {
      var finalizers = pool.getMetadata().getFinalizers();
      if (empty && finalizers != null && finalizers.contains(Constants.FINALIZER)) {
        String patch = "[{\"op\":\"test\",\"path\":\"/metadata/resourceVersion\",\"value\":\""
            + pool.getMetadata().getResourceVersion() + "\"},{\"op\":\"remove\",\"path\":\"/metadata/finalizers/"
            + finalizers.indexOf(Constants.FINALIZER) + "\"}]";
        return kube.call(() -> kube.client().resources(SpiderIPPool.class).withName(name).patch(PatchContext.of(PatchType.JSON), patch))
            .map(Decision.DONE).recover(e -> Future.succeededFuture(Decision.DONE)); // a newer version brings a new event
      }
      return Future.succeededFuture(Decision.DONE);
    }
    long total = observe(pool);
    var status = pool.getStatus();
    boolean stale = status == null || status.allocatedIPCount == null || status.totalIPCount == null
        || (total >= 0 && status.totalIPCount != total);
    // Agents keep allocatedIPCount with every record they write; a recount is needed only when a count is
    // missing or the ranges changed (the write path checks again against the records it reads).
    return stale ? writers.of(name).submit(new PoolRequest.Recount()).map(Decision.DONE) : Future.succeededFuture(Decision.DONE);
  }

  /** Gauges, and the Event when the pool crosses 90 % allocated; answers the pool's total (-1 when its spec cannot be read). */
  private long observe(SpiderIPPool pool) {
    String name = pool.getMetadata().getName();
    long total;
    try {
      total = PoolRanges.of(name, pool.getSpec()).total();
    } catch (RuntimeException e) {
      return -1;
    }
    long allocated = pool.getStatus() == null || pool.getStatus().allocatedIPCount == null ? 0 : pool.getStatus().allocatedIPCount;
    long[] c = counts.computeIfAbsent(name, n -> {
      long[] fresh = new long[2];
      for (String kind : new String[] {"total", "allocated", "free"}) {
        Gauge.builder("spiderpool_ippool_ips", fresh, a -> kind.equals("total") ? a[0] : kind.equals("allocated") ? a[1] : a[0] - a[1])
            .tag("pool", n).tag("kind", kind).register(registry);
      }
      return fresh;
    });
    c[0] = total;
    c[1] = allocated;
    boolean nearly = total > 0 && allocated >= NEARLY_EXHAUSTED * total;
    Boolean before = nearlyExhausted.put(name, nearly);
    if (nearly && !Boolean.TRUE.equals(before)) {
      events.emit(pool, "Warning", Events.POOL_NEARLY_EXHAUSTED, allocated + " of " + total + " IPs of SpiderIPPool " + name
          + " are allocated (" + Math.round(100.0 * allocated / total) + " %)");
    }
    return total;
  }
}
