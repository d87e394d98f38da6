package io.spidernet.spiderpool.core.ippool;

import io.spidernet.spiderpool.api.codec.PoolIPAllocation;
import io.spidernet.spiderpool.api.ip.IPRanges;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.core.kube.RetryPolicy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link PoolWriter} per pool, created on first use, each on a context of its own. Idle writers
 * are dropped, and so are the parsed snapshots of pools that are no longer written here and, unless
 * the process allocates from its cached pools all the time (the agent), of every pool no longer
 * written here: the controller writes pools in bursts (a GC scan) and keeps no 100 parsed pools
 * between them. A deleted pool leaves nothing behind. Thread-safe.
 */
public final class PoolWriters {
  public static final Duration IDLE_EVICTION = Duration.ofMinutes(5);

  private final Vertx vertx;
  private final PoolStore store;
  private final PoolCache cache;
  private final PoolSnapshots snapshots;
  private final Blocklist blocklist;
  private final PoolMetrics metrics;
  private final int maxRecords;
  private final boolean keepCachedSnapshots;
  private final ConcurrentHashMap<String, PoolWriter> writers = new ConcurrentHashMap<>();

  /**
   * @param keepCachedSnapshots whether the parsed snapshot of every cached pool is kept (the agent:
   *     its next allocation needs it) or only those of pools with a writer (the controller)
   */
  public PoolWriters(Vertx vertx, PoolStore store, PoolCache cache, PoolSnapshots snapshots, PoolMetrics metrics,
      int maxRecords, boolean keepCachedSnapshots) {
    this.vertx = vertx;
    this.store = store;
    this.cache = cache;
    this.snapshots = snapshots;
    this.blocklist = new Blocklist(cache, snapshots);
    this.metrics = metrics;
    this.maxRecords = maxRecords;
    this.keepCachedSnapshots = keepCachedSnapshots;
  }

  /** Starts the periodic eviction of writers idle for {@code idle} and unused snapshots; returns the timer ID. */
  public long evictPeriodically(Duration every, Duration idle) {
    return vertx.setPeriodic(every.toMillis(), t -> evict(idle));
  }

  /** Drops writers idle for {@code idle}, then the snapshots no writer (or cache, see the constructor) needs. Any thread. */
  public void evict(Duration idle) {
    List<Future<Boolean>> checked = new ArrayList<>();
    writers.forEach((name, writer) -> checked.add(writer.idleFor(idle.toNanos()).onSuccess(isIdle -> {
      if (isIdle) {
        writers.remove(name, writer);
      }
    })));
    // Parsed ranges are small: those of every cached pool stay, for the overlap checks of each write.
    Future.join(checked).onComplete(x -> snapshots.retain(
        name -> writers.containsKey(name) || keepCachedSnapshots && cache.pool(name) != null,
        name -> writers.containsKey(name) || cache.pool(name) != null));
  }

  /** How many writers are alive (for tests and metrics). */
  public int size() {
    return writers.size();
  }

  /**
   * Whether the newest version of {@code pool} known here (this process's last commit or the
   * informer's copy) records {@code ip} for pod incarnation {@code uid}. Any thread.
   */
  public boolean holds(String pool, String ip, String uid) {
    PoolIPAllocation record = newestRecords(pool).get(ip);
    return record != null && uid.equals(record.podUid());
  }

  /**
   * Which of {@code ips} the API server's current version of {@code pool} does not record for
   * {@code uid}: the word that counts before removing what an endpoint claims. One read of the pool.
   * Any thread; completes on a worker.
   */
  public Future<Set<String>> unrecordedNow(String pool, Set<String> ips, String uid) {
    return store.blocking(() -> {
      SpiderIPPool current = store.read(pool);
      Map<String, PoolIPAllocation> records;
      try {
        records = current == null ? Map.of() : snapshots.of(current).records();
      } catch (IllegalArgumentException e) {
        records = Map.of();
      }
      Set<String> unrecorded = new HashSet<>();
      for (String ip : ips) {
        PoolIPAllocation record = records.get(ip);
        if (record == null || !uid.equals(record.podUid())) {
          unrecorded.add(ip);
        }
      }
      return unrecorded;
    });
  }

  /**
   * The records, by pool and IP, in the newest versions known here that match {@code which}: what a
   * release must visit when no endpoint says where a pod's IPs are. Decodes and scans every pool
   * known here, so it runs on a worker thread, never on the caller's event loop. Any thread.
   */
  public Future<Map<String, Map<String, PoolIPAllocation>>> recorded(Predicate<PoolIPAllocation> which) {
    return vertx.executeBlocking(() -> {
      Set<String> names = new HashSet<>(writers.keySet());
      cache.pools().forEach(p -> names.add(p.getMetadata().getName()));
      Map<String, Map<String, PoolIPAllocation>> found = new HashMap<>();
      for (String name : names) {
        newestRecords(name).forEach((ip, record) -> {
          if (which.test(record)) {
            found.computeIfAbsent(name, n -> new HashMap<>()).put(ip, record);
          }
        });
      }
      return found;
    }, false);
  }

  /** The records of the newest version of {@code pool} known here; empty when none is or it is unreadable. */
  private Map<String, PoolIPAllocation> newestRecords(String pool) {
    PoolWriter writer = writers.get(pool);
    PoolWriter.Committed ours = writer == null ? null : writer.committed();
    SpiderIPPool cached = cache.pool(pool);
    if (cached != null && (ours == null || PoolWriter.resourceVersion(cached) > ours.resourceVersion())) {
      try {
        return snapshots.of(cached).records();
      } catch (IllegalArgumentException e) {
        return Map.of();
      }
    }
    return ours != null ? ours.records() : Map.of();
  }

  /** Every non-terminating SpiderReservedIP's IPs of this family (from the cache). */
  public IPRanges reserved(int version) {
    return blocklist.reserved(version);
  }

  /** The writer of {@code pool}. Any thread. */
  public PoolWriter of(String pool) {
    return writers.computeIfAbsent(pool, name ->
        new PoolWriter(name, ((io.vertx.core.internal.VertxInternal) vertx).createEventLoopContext(), store, cache, snapshots,
            blocklist, metrics, RetryPolicy.CONFLICTS, maxRecords));
  }
}
