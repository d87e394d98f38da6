package io.spidernet.spiderpool.core.kube;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How every optimistic-concurrency loop of the project retries a 409: for up to a time budget, after
 * a short jittered back-off that grows with the attempt (1 ms up to 100 ms), so that writers that
 * collided do not collide again in step. Immutable; any thread.
 *
 * @param budget how long a write keeps retrying conflicts (below the agent's request deadline)
 */
public record RetryPolicy(Duration budget) {
  /** The project's policy: a minute of retries. */
  public static final RetryPolicy CONFLICTS = new RetryPolicy(Duration.ofSeconds(60));

  /** Whether a write started at {@code startedNanos} ({@link System#nanoTime}) may try again now. */
  public boolean mayRetry(long startedNanos) {
    return System.nanoTime() - startedNanos < budget.toNanos();
  }

  /** The jittered pause before attempt {@code attempt + 1}, in milliseconds (at least 1). */
  public long backoffMillis(int attempt) {
    long cap = Math.min(100, 4L << Math.min(attempt, 5));
    return 1 + ThreadLocalRandom.current().nextLong(cap);
  }

  /** Sleeps the back-off; only for code already on a worker thread. */
  public void pause(int attempt) {
    try {
      Thread.sleep(backoffMillis(attempt));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while retrying a conflict", e);
    }
  }
}
