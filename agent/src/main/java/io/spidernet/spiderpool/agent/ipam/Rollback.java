package io.spidernet.spiderpool.agent.ipam;

import io.spidernet.spiderpool.agent.metrics.IpamMetrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Undoing what a failed or late ADD wrote: never silently. Each failure is logged with the pod and
 * the IPs, the undo is retried a few times with growing pauses, and when it still fails the state
 * left behind is one the controller's GC recognises (a record or endpoint of a pod incarnation that
 * does not hold it), said so in the log and counted in {@code spiderpool_ipam_rollback_failures}.
 * Callable from any thread.
 */
final class Rollback {
  private static final Logger LOG = LoggerFactory.getLogger(Rollback.class);
  static final long[] PAUSES_MILLIS = {200, 1000, 5000};

  private final Vertx vertx;
  private final IpamMetrics metrics;
  private final long[] pauses;

  Rollback(Vertx vertx, IpamMetrics metrics) {
    this(vertx, metrics, PAUSES_MILLIS);
  }

  /** {@code pauses}: the wait before each retry; one attempt more than pauses in all. */
  Rollback(Vertx vertx, IpamMetrics metrics, long[] pauses) {
    this.vertx = vertx;
    this.metrics = metrics;
    this.pauses = pauses.clone();
  }

  /** Runs {@code undo} until it succeeds or the attempts run out; always completes successfully. */
  Future<Void> run(String what, Supplier<Future<Void>> undo) {
    Promise<Void> done = Promise.promise();
    attempt(what, undo, 0, done);
    return done.future();
  }

  private void attempt(String what, Supplier<Future<Void>> undo, int attempt, Promise<Void> done) {
    Future<Void> f;
    try {
      f = undo.get();
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    f.onComplete(ar -> {
      if (ar.succeeded()) {
        if (attempt > 0) {
          LOG.info("rollback of {} succeeded at attempt {}", what, attempt + 1);
        }
        done.complete();
        return;
      }
      if (attempt < pauses.length) {
        LOG.warn("rollback of {} failed (attempt {}), retrying in {} ms: {}", what, attempt + 1, pauses[attempt],
            ar.cause().getMessage());
        vertx.setTimer(pauses[attempt], t -> attempt(what, undo, attempt + 1, done));
        return;
      }
      metrics.rollbackFailed();
      LOG.error("rollback of {} failed {} times, left for the controller's GC (the records and endpoint name a pod "
          + "incarnation that does not hold them): {}", what, attempt + 1, ar.cause().getMessage());
      done.complete();
    });
  }
}
