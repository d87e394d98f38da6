package io.spidernet.spiderpool.controller.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link Reconciler}: informer events only {@link #enqueue} keys; up to {@code workers}
 * keys are reconciled at once, never the same key twice at once; a failure comes back with
 * back-off, a requeue after its delay. Everything runs on one Vert.x context (the loop's); enqueue
 * from any thread. Stopped, it drops its keys and starts nothing new (a leader that lost its lease).
 * Metrics: {@code spiderpool_controller_queue_depth}, {@code ..._reconcile_seconds},
 * {@code ..._reconcile_errors_total}, each tagged with the reconciler's name.
 */
public final class ControllerLoop {
  private static final Logger LOG = LoggerFactory.getLogger(ControllerLoop.class);

  private final Reconciler reconciler;
  private final Context context;
  private final int workers;
  private final KeyedQueue queue = new KeyedQueue();
  private final Timer latency;
  private final Counter errors;
  private int running;
  private volatile boolean active;

  public ControllerLoop(Vertx vertx, Reconciler reconciler, int workers, MeterRegistry registry) {
    this.reconciler = reconciler;
    this.context = vertx.getOrCreateContext();
    this.workers = workers;
    this.latency = Timer.builder("spiderpool_controller_reconcile").tag("reconciler", reconciler.name()).register(registry);
    this.errors = Counter.builder("spiderpool_controller_reconcile_errors").tag("reconciler", reconciler.name())
        .register(registry);
    Gauge.builder("spiderpool_controller_queue_depth", queue, KeyedQueue::depth).tag("reconciler", reconciler.name())
        .register(registry);
  }

  /** Starts handing out keys (leadership won). Any thread. */
  public void start() {
    context.runOnContext(v -> {
      active = true;
      drain();
    });
  }

  /** Stops: nothing new starts; reconciles in flight finish. Any thread. */
  public void stop() {
    active = false;
    context.runOnContext(v -> {
      for (String key = queue.next(); key != null; key = queue.next()) {
        queue.done(key, false);
      }
    });
  }

  public boolean active() {
    return active;
  }

  /** Queues {@code key} for reconciliation. Any thread. */
  public void enqueue(String key) {
    context.runOnContext(v -> {
      queue.add(key);
      drain();
    });
  }

  /** On the context. */
  private void drain() {
    while (active && running < workers) {
      String key = queue.next();
      if (key == null) {
        return;
      }
      running++;
      long t0 = System.nanoTime();
      Future<Decision> result;
      try {
        result = reconciler.reconcile(key);
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      result.onComplete(ar -> context.runOnContext(v -> finished(key, t0,
          ar.succeeded() ? ar.result() : Decision.failed(ar.cause()))));
    }
  }

  /** On the context. */
  private void finished(String key, long t0, Decision decision) {
    running--;
    latency.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
    boolean failed = decision.failure() != null;
    if (failed) {
      errors.increment();
      LOG.warn("{} {}: {} (retried)", reconciler.name(), key, decision.failure().getMessage());
    }
    Duration retry = queue.done(key, failed);
    Duration later = retry != null ? retry : decision.requeueAfter();
    if (later != null && active) {
      context.owner().setTimer(Math.max(1, later.toMillis()), t -> enqueue(key));
    }
    drain();
  }
}
