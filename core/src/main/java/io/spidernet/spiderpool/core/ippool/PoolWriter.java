package io.spidernet.spiderpool.core.ippool;

import io.spidernet.spiderpool.api.v2beta1.IPPoolStatus;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.core.IpamException;
import io.spidernet.spiderpool.core.kube.Kube;
import io.spidernet.spiderpool.core.kube.RetryPolicy;
import io.spidernet.spiderpool.api.codec.PoolIPAllocation;
import io.spidernet.spiderpool.api.codec.PoolIPAllocations;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one pool's records with optimistic concurrency and group commit: the project's one write
 * path for pool status. Requests queue here; a batch starts from the newest version of the pool
 * known (read fresh when none is), plans every request at once ({@link BatchPlan}, pure) and writes
 * one {@code /status} update with that resourceVersion as precondition. A 409 means someone wrote
 * first: the batch, joined by the requests queued meanwhile, is read and planned again after a
 * jittered back-off, within {@link RetryPolicy#CONFLICTS}. Requests that arrive while a batch is in
 * flight form the next batch, so under a burst one API write carries many allocations.
 *
 * <p>Threads: the queue, the batch state and every continuation run on this writer's own Vert.x
 * context (given at construction), whichever thread completed the API call; reading, planning and
 * writing run on the store's worker pool. {@link #submit} may be called from any thread; its futures
 * complete on this writer's context.
 */
public final class PoolWriter {
  private static final Logger LOG = LoggerFactory.getLogger(PoolWriter.class);
  static final int MAX_BATCH = 1000;
  /** The largest batch whose callers learn their planned IPs before the write (see {@link #submit(PoolRequest, Promise)}). */
  static final int EARLY_PLAN_MAX_BATCH = 4;

  private final String pool;
  private final Context context;
  private final PoolStore store;
  private final PoolCache cache;
  private final PoolSnapshots snapshots;
  private final Blocklist blocklist;
  private final PoolMetrics metrics;
  private final RetryPolicy retries;
  private final int maxRecords;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private boolean busy;
  /** When the last batch ended (context only), for eviction of idle writers. */
  private long idleSince = System.nanoTime();
  /** The pool as this writer last wrote it: the next batch starts from it instead of a GET (and changes it). */
  private SpiderIPPool lastWritten;
  /**
   * The records of the newest version this writer committed, for readers on other threads: the
   * plan's unmodifiable map.
   */
  private volatile Committed committed;

  /** The records a committed write left in the pool, at that write's resourceVersion. */
  record Committed(long resourceVersion, SortedMap<String, PoolIPAllocation> records) {}

  /** A queued request; {@code planned}, when set, learns an allocation's IP before it is written. */
  private record Pending(PoolRequest request, Promise<PoolOutcome> promise, Promise<String> planned) {}

  PoolWriter(String pool, Context context, PoolStore store, PoolCache cache, PoolSnapshots snapshots,
      Blocklist blocklist, PoolMetrics metrics, RetryPolicy retries, int maxRecords) {
    this.pool = pool;
    this.context = context;
    this.store = store;
    this.cache = cache;
    this.snapshots = snapshots;
    this.blocklist = blocklist;
    this.metrics = metrics;
    this.retries = retries;
    this.maxRecords = maxRecords;
  }

  /** Queues a request; the future completes on this writer's context. Any thread. */
  public Future<PoolOutcome> submit(PoolRequest request) {
    return submit(request, null);
  }

  /**
   * Queues an allocation and completes {@code planned} with the IP the batch chose for it as soon
   * as the batch is planned, before its write is sent (on the worker thread), so the caller can
   * prepare what depends on the IP meanwhile. Only a quiet pool's small first attempt announces (a
   * conflict would turn every early use into a second write). The outcome is what counts: a
   * conflict re-plans, and the outcome may then carry another IP. Any thread.
   */
  public Future<PoolOutcome> submit(PoolRequest request, Promise<String> planned) {
    Promise<PoolOutcome> promise = Promise.promise();
    context.runOnContext(v -> {
      queue.add(new Pending(request, promise, planned));
      if (!busy) {
        nextBatch();
      }
    });
    return promise.future();
  }

  /** On the context. */
  private void nextBatch() {
    if (queue.isEmpty()) {
      busy = false;
      idleSince = System.nanoTime();
      return;
    }
    busy = true;
    List<Pending> batch = new ArrayList<>(Math.min(queue.size(), 64));
    while (!queue.isEmpty() && batch.size() < MAX_BATCH) {
      batch.add(queue.poll());
    }
    attempt(batch, 1, System.nanoTime());
  }

  /** On the context. */
  private void attempt(List<Pending> batch, int attempt, long started) {
    SpiderIPPool known = attempt == 1 ? lastWritten : null;
    lastWritten = null;
    List<PoolRequest> requests = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      requests.add(p.request());
    }
    List<Pending> announced = attempt == 1 && batch.size() <= EARLY_PLAN_MAX_BATCH ? List.copyOf(batch) : List.of();
    onContext(store.blocking(() -> write(requests, plan -> announce(announced, plan), known, attempt == 1)), ar -> {
      if (ar.succeeded()) {
        Written result = ar.result();
        lastWritten = result.written();
        if (result.written() != null) {
          committed = new Committed(resourceVersion(result.written()), result.plan().records());
        }
        for (int i = 0; i < batch.size(); i++) {
          batch.get(i).promise().complete(result.plan().outcomes().get(i));
        }
        nextBatch();
        return;
      }
      Throwable e = ar.cause();
      if (Kube.isConflict(e) && retries.mayRetry(started)) {
        metrics.conflict();
        // Requests that queued meanwhile join this batch: under contention batches grow, so the
        // write that finally wins carries many allocations.
        while (!queue.isEmpty() && batch.size() < MAX_BATCH) {
          batch.add(queue.poll());
        }
        context.owner().setTimer(retries.backoffMillis(attempt), t -> context.runOnContext(v -> attempt(batch, attempt + 1, started)));
        return;
      }
      IpamException failure = Kube.isConflict(e)
          ? new IpamException(IpamException.Reason.CONFLICT_RETRIES_EXHAUSTED, "exhaust all retries (" + attempt
              + " times in " + (System.nanoTime() - started) / 1_000_000_000 + " s), failed to update IPPool " + pool, e)
          : e instanceof IpamException i ? i : new IpamException(IpamException.reasonOf(e), e.getMessage(), e);
      LOG.warn("SpiderIPPool {}: batch of {} failed: {}", pool, batch.size(), failure.getMessage());
      for (Pending p : batch) {
        p.promise().fail(failure);
        if (p.planned() != null) {
          p.planned().tryFail(failure);
        }
      }
      nextBatch();
    });
  }

  /** Runs {@code handler} on this writer's context whichever thread completes {@code future}. */
  private <T> void onContext(Future<T> future, Handler<AsyncResult<T>> handler) {
    future.onComplete(ar -> {
      if (Vertx.currentContext() == context) {
        handler.handle(ar);
      } else {
        context.runOnContext(v -> handler.handle(ar));
      }
    });
  }

  private record Written(BatchPlan plan, SpiderIPPool written) {}

  /**
   * On the worker pool: start from the newest version known here (our own last write or the
   * informer's copy, which shows other agents' writes) or read the pool, plan the batch, and write
   * it with the resourceVersion as precondition (a 409 means someone wrote since).
   */
  private Written write(List<PoolRequest> requests, Consumer<BatchPlan> planned, SpiderIPPool known, boolean optimistic) {
    SpiderIPPool fresh = null;
    if (optimistic) {
      SpiderIPPool cached = cache.pool(pool);
      fresh = newest(known, cached);
      if (fresh != null && fresh == cached) {
        // The informer's instance is shared: the status is set on a copy, never on the cache.
        fresh = store.copy(fresh);
      }
    }
    if (fresh == null) {
      fresh = store.read(pool);
    }
    if (fresh == null) {
      throw new IpamException(IpamException.Reason.API_ERROR, "failed to get original IPPool " + pool + ": not found");
    }
    PoolSnapshot snapshot;
    try {
      snapshot = snapshots.of(fresh);
    } catch (IllegalArgumentException e) {
      throw new IpamException(IpamException.Reason.BAD_INPUT, e.getMessage(), e);
    }
    BatchPlan plan = BatchPlan.plan(snapshot, blocklist.reserved(snapshot.ranges().version()),
        blocklist.elsewhere(snapshot), requests, maxRecords);
    planned.accept(plan);
    if (!plan.changed() && !(requests.stream().anyMatch(r -> r instanceof PoolRequest.Recount) && countsStale(fresh, plan, snapshot))) {
      return new Written(plan, null);
    }
    IPPoolStatus status = fresh.getStatus() == null ? new IPPoolStatus() : fresh.getStatus();
    status.allocatedIPs = PoolIPAllocations.encode(plan.records());
    status.allocatedIPCount = (long) plan.records().size();
    status.totalIPCount = snapshot.ranges().total();
    fresh.setStatus(status);
    metrics.statusWrite(requests.size());
    return new Written(plan, store.writeStatus(fresh));
  }

  /** Whether the pool's counts differ from its records and ranges (or are missing). */
  private static boolean countsStale(SpiderIPPool pool, BatchPlan plan, PoolSnapshot snapshot) {
    IPPoolStatus status = pool.getStatus();
    return status == null || status.totalIPCount == null || status.allocatedIPCount == null
        || status.totalIPCount != snapshot.ranges().total() || status.allocatedIPCount != plan.records().size();
  }

  /** Tells the batch's waiting callers the IPs planned for them (worker thread; promises are thread-safe). */
  private static void announce(List<Pending> batch, BatchPlan plan) {
    for (int i = 0; i < batch.size(); i++) {
      if (batch.get(i).planned() != null && plan.outcomes().get(i) instanceof PoolOutcome.Allocated a) {
        batch.get(i).planned().tryComplete(a.ip());
      }
    }
  }

  /** The records of the newest version of the pool this writer committed, or null. Any thread. */
  Committed committed() {
    return committed;
  }

  /**
   * Whether this writer has had nothing to do for {@code idleNanos}; on its context. An idle writer
   * can be dropped: its state is a cache, and a new writer reads the pool afresh.
   */
  Future<Boolean> idleFor(long idleNanos) {
    Promise<Boolean> idle = Promise.promise();
    context.runOnContext(v -> idle.complete(!busy && queue.isEmpty() && System.nanoTime() - idleSince >= idleNanos));
    return idle.future();
  }

  /**
   * The more recent of two versions of the pool. resourceVersions are etcd revisions in practice;
   * when either is not a number, neither is trusted and the caller reads the pool.
   */
  static SpiderIPPool newest(SpiderIPPool a, SpiderIPPool b) {
    if (a == null || b == null) {
      return a != null ? a : b;
    }
    long ra = resourceVersion(a);
    long rb = resourceVersion(b);
    if (ra < 0 || rb < 0) {
      return null;
    }
    return ra >= rb ? a : b;
  }

  /** The pool's resourceVersion as a number, or -1 when it is not one. */
  static long resourceVersion(SpiderIPPool pool) {
    try {
      return Long.parseLong(pool.getMetadata().getResourceVersion());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
