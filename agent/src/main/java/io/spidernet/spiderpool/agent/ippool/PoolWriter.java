package io.spidernet.spiderpool.agent.ippool;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.spidernet.spiderpool.agent.kube.Kube;
import io.spidernet.spiderpool.agent.metrics.IpamMetrics;
import io.spidernet.spiderpool.api.codec.PoolIPAllocation;
import io.spidernet.spiderpool.api.codec.PoolIPAllocations;
import io.spidernet.spiderpool.api.v2beta1.IPPoolStatus;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one pool's records with optimistic concurrency and group commit. Requests queue here; a
 * batch reads the pool fresh from the API server, plans every request at once ({@link BatchPlan})
 * and writes one {@code /status} update with the read resourceVersion as precondition. A 409 means
 * another agent wrote first: the batch, joined by the requests queued meanwhile, is read and planned
 * again after a short jittered back-off, for up to a minute. Requests that arrive while a batch is
 * in flight form the next batch, so under a burst one API write carries many allocations.
 *
 * <p>A batch starts from the newest version known here (this writer's last write, or the
 * informer's copy) instead of a read: any write by someone else since changed the resourceVersion,
 * so the precondition catches it.
 *
 * <p>The queue and batch state are confined to one Vert.x context; reading, planning and writing run
 * on the worker pool. {@link #submit} may be called from any thread.
 */
public final class PoolWriter {
  private static final Logger LOG = LoggerFactory.getLogger(PoolWriter.class);
  /** How long a batch keeps retrying conflicts, below the agent's request deadline. */
  static final long RETRY_BUDGET_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
  static final int MAX_BATCH = 1000;
  /** The largest batch whose callers learn their planned IPs before the write (see {@link #submit(PoolRequest, Promise)}). */
  static final int EARLY_PLAN_MAX_BATCH = 4;

  private final String pool;
  private final Context context;
  private final Kube kube;
  private final PoolSnapshots snapshots;
  private final Blocklist blocklist;
  private final IpamMetrics metrics;
  private final int maxRecords;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private boolean busy;
  /** The pool as this writer last wrote it: the next batch starts from it instead of a GET (and changes it). */
  private SpiderIPPool lastWritten;
  /**
   * The records of the newest version this writer committed, for readers on other threads: the
   * plan's map, never changed after planning (unlike {@link #lastWritten}).
   */
  private volatile Committed committed;

  /** The records a committed write left in the pool, at that write's resourceVersion. */
  record Committed(long resourceVersion, Map<String, PoolIPAllocation> records) {}

  /** A queued request; {@code planned}, when set, learns an allocation's IP before it is written. */
  private record Pending(PoolRequest request, Promise<PoolOutcome> promise, Promise<String> planned) {}

  PoolWriter(String pool, Context context, Kube kube, PoolSnapshots snapshots, Blocklist blocklist,
      IpamMetrics metrics, int maxRecords) {
    this.pool = pool;
    this.context = context;
    this.kube = kube;
    this.snapshots = snapshots;
    this.blocklist = blocklist;
    this.metrics = metrics;
    this.maxRecords = maxRecords;
  }

  /** Queues a request; the future completes on this writer's context. Any thread. */
  public Future<PoolOutcome> submit(PoolRequest request) {
    return submit(request, null);
  }

  /**
   * Queues an allocation and completes {@code planned} with the IP the batch chose for it as soon
   * as the batch is planned, before its write is sent (on the worker thread), so the caller can
   * prepare what depends on the IP meanwhile. The outcome is what counts: a conflict re-plans, and
   * the outcome may then carry another IP. Any thread.
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

  private void nextBatch() {
    if (queue.isEmpty()) {
      busy = false;
      return;
    }
    busy = true;
    List<Pending> batch = new ArrayList<>(Math.min(queue.size(), 64));
    while (!queue.isEmpty() && batch.size() < MAX_BATCH) {
      batch.add(queue.poll());
    }
    attempt(batch, 1, System.nanoTime());
  }

  private void attempt(List<Pending> batch, int attempt, long started) {
    SpiderIPPool known = attempt == 1 ? lastWritten : null;
    lastWritten = null;
    List<PoolRequest> requests = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      requests.add(p.request());
    }
    // Reading, planning and writing run on the worker pool: parsing, planning and encoding a
    // pool's records is CPU work that must not hold the event loop.
    // Callers learn their planned IPs early only from a quiet pool's first attempt: there the overlap
    // saves an ADD most of a write's latency. A burst's large batches gain nothing from it (their
    // latency is queueing) and a conflict would turn every early use of an IP into a second write.
    List<Pending> planned = attempt == 1 && batch.size() <= EARLY_PLAN_MAX_BATCH ? List.copyOf(batch) : List.of();
    kube.call(() -> write(requests, plan -> announce(planned, plan), known, attempt == 1))
        .onSuccess(result -> {
          lastWritten = result.written();
          if (result.written() != null) {
            committed = new Committed(resourceVersion(result.written()), result.plan().records());
          }
          BatchPlan plan = result.plan();
          for (int i = 0; i < batch.size(); i++) {
            batch.get(i).promise().complete(plan.outcomes().get(i));
          }
          nextBatch();
        })
        .onFailure(e -> {
          if (isConflict(e) && System.nanoTime() - started < RETRY_BUDGET_NANOS) {
            metrics.poolConflict();
            // Requests that queued meanwhile join this batch: under contention batches grow, so
            // the write that finally wins carries many allocations.
            while (!queue.isEmpty() && batch.size() < MAX_BATCH) {
              batch.add(queue.poll());
            }
            long cap = Math.min(100, 4L << Math.min(attempt, 5));
            long delay = 1 + ThreadLocalRandom.current().nextLong(cap);
            context.owner().setTimer(delay, t -> attempt(batch, attempt + 1, started));
            return;
          }
          String message = isConflict(e)
              ? "exhaust all retries (" + attempt + " times in " + (System.nanoTime() - started) / 1_000_000_000
                  + " s), failed to update IPPool " + pool
              : e.getMessage();
          LOG.warn("SpiderIPPool {}: batch of {} failed: {}", pool, batch.size(), message);
          for (Pending p : batch) {
            p.promise().fail(new PoolWriteException(message, e));
          }
          nextBatch();
        });
  }

  private record Written(BatchPlan plan, SpiderIPPool written) {}

  /**
   * On the worker pool: start from the newest version known here (our own last write or the
   * informer's copy, which shows other agents' writes) or read the pool, plan the batch, and write
   * it with the resourceVersion as precondition (a 409 means someone wrote since).
   */
  private Written write(List<PoolRequest> requests, java.util.function.Consumer<BatchPlan> planned, SpiderIPPool known,
      boolean optimistic) {
    SpiderIPPool fresh = null;
    if (optimistic) {
      SpiderIPPool cached = kube.cachedPool(pool);
      fresh = newest(known, cached);
      if (fresh != null && fresh == cached) {
        // The informer's instance is shared: the status is set on a copy, never on the cache.
        fresh = kube.client().getKubernetesSerialization().clone(fresh);
      }
    }
    if (fresh == null) {
      fresh = kube.client().resources(SpiderIPPool.class).withName(pool).get();
    }
    if (fresh == null) {
      throw new PoolWriteException("failed to get original IPPool " + pool + ": not found", null);
    }
    PoolSnapshot snapshot = snapshots.of(fresh);
    BatchPlan plan = BatchPlan.plan(snapshot, blocklist.reserved(snapshot.ranges().version()),
        blocklist.elsewhere(snapshot), requests, maxRecords);
    planned.accept(plan);
    if (!plan.changed()) {
      return new Written(plan, null);
    }
    IPPoolStatus status = fresh.getStatus() == null ? new IPPoolStatus() : fresh.getStatus();
    status.allocatedIPs = PoolIPAllocations.encode(plan.records());
    status.allocatedIPCount = (long) plan.records().size();
    status.totalIPCount = snapshot.ranges().total();
    fresh.setStatus(status);
    // The server keeps managedFields when an update leaves them out: don't send them back.
    fresh.getMetadata().setManagedFields(null);
    metrics.poolStatusWrite(requests.size());
    return new Written(plan, kube.client().resource(fresh).updateStatus());
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

  private static boolean isConflict(Throwable e) {
    return e instanceof KubernetesClientException k && k.getCode() == 409;
  }
}
