package io.spidernet.spiderpool.controller.gc;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the full scan on the leader: as soon as leadership is won, then every
 * {@code SPIDERPOOL_GC_DEFAULT_INTERVAL_DURATION}; never two scans at once. {@link #scanSoon}
 * asks for a scan now (a pod was deleted, a test wants one).
 */
public final class GcLoop {
  private static final Logger LOG = LoggerFactory.getLogger(GcLoop.class);

  private final Vertx vertx;
  private final GcScan scan;
  private final Duration interval;
  private long timer = -1;
  private boolean scanning;
  private boolean again;
  private volatile GcScan.Result last;

  public GcLoop(Vertx vertx, GcScan scan, Duration interval) {
    this.vertx = vertx;
    this.scan = scan;
    this.interval = interval;
  }

  /** Leadership won. Any thread. */
  public synchronized void start() {
    if (timer < 0) {
      timer = vertx.setPeriodic(0, Math.max(1, interval.toMillis()), id -> scanSoon());
    }
  }

  /** Leadership lost. Any thread. */
  public synchronized void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  /** Scans now, or right after the scan in progress. Any thread. */
  public synchronized void scanSoon() {
    if (timer < 0) {
      return;
    }
    if (scanning) {
      again = true;
      return;
    }
    scanning = true;
    long t0 = System.nanoTime();
    Future<GcScan.Result> run;
    try {
      run = scan.run();
    } catch (RuntimeException e) {
      run = Future.failedFuture(e);
    }
    run.onComplete(ar -> {
      if (ar.succeeded()) {
        last = ar.result();
        LOG.info("GC scan: {} records, {} candidates, {} released, {} would be released (dry run), {} ms ({} ms judging on cached facts)",
            ar.result().records(), ar.result().candidates(), ar.result().released(), ar.result().wouldRelease(),
            (System.nanoTime() - t0) / 1_000_000, ar.result().judgedMillis());
      } else {
        LOG.warn("GC scan failed (the next one retries): {}", ar.cause().getMessage());
      }
      boolean rerun;
      synchronized (this) {
        scanning = false;
        rerun = again;
        again = false;
      }
      if (rerun) {
        scanSoon();
      }
    });
  }

  /** The last finished scan's result, or null. */
  public GcScan.Result last() {
    return last;
  }
}
