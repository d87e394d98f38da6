package io.spidernet.spiderpool.agent.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.spidernet.spiderpool.core.IpamException.Reason;
import java.time.Duration;

/**
 * The agent's metrics under Spiderpool's documented names (spec section 8; the Prometheus registry
 * adds {@code _total} to counters), plus {@code spiderpool_ipam_rollback_failures}: undos of a failed
 * ADD that were left for GC. The pool write path's counters are {@link
 * io.spidernet.spiderpool.core.ippool.PoolMetrics}. Thread-safe.
 */
public final class IpamMetrics {
  private final Counter allocations;
  private final Counter allocationFailures;
  private final Counter errInternal;
  private final Counter errNoAvailablePool;
  private final Counter errRetriesExhausted;
  private final Counter errIPUsedOut;
  private final Counter releases;
  private final Counter releaseFailures;
  private final Counter rollbackFailures;
  private final Timer allocationDuration;
  private final Timer releaseDuration;

  public IpamMetrics(MeterRegistry registry) {
    allocations = Counter.builder("spiderpool_ipam_allocation_counts").register(registry);
    allocationFailures = Counter.builder("spiderpool_ipam_allocation_failure_counts").register(registry);
    errInternal = Counter.builder("spiderpool_ipam_allocation_err_internal_counts").register(registry);
    errNoAvailablePool = Counter.builder("spiderpool_ipam_allocation_err_no_available_pool_counts").register(registry);
    errRetriesExhausted = Counter.builder("spiderpool_ipam_allocation_err_retries_exhausted_counts").register(registry);
    errIPUsedOut = Counter.builder("spiderpool_ipam_allocation_err_ip_used_out_counts").register(registry);
    releases = Counter.builder("spiderpool_ipam_release_counts").register(registry);
    releaseFailures = Counter.builder("spiderpool_ipam_release_failure_counts").register(registry);
    rollbackFailures = Counter.builder("spiderpool_ipam_rollback_failures").register(registry);
    // Spiderpool's buckets, plus finer ones below 100 ms (extra `le` series: its dashboards still work)
    // so that the IPAM share of a pod start can be read off the histogram.
    Duration[] buckets = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(300), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofSeconds(3), Duration.ofSeconds(5), Duration.ofSeconds(7), Duration.ofSeconds(10), Duration.ofSeconds(15)};
    allocationDuration = Timer.builder("spiderpool_ipam_allocation_duration_seconds").serviceLevelObjectives(buckets)
        .register(registry);
    releaseDuration = Timer.builder("spiderpool_ipam_release_duration_seconds").serviceLevelObjectives(buckets)
        .register(registry);
  }

  public void allocated(Duration took) {
    allocations.increment();
    allocationDuration.record(took);
  }

  /** Counts a failed allocation in Spiderpool's error classes, by its reason. */
  public void allocationFailed(Reason reason) {
    allocations.increment();
    allocationFailures.increment();
    switch (reason) {
      case NO_POOL_AVAILABLE -> errNoAvailablePool.increment();
      case POOL_EXHAUSTED -> errIPUsedOut.increment();
      // "wrong input" lands with exhausted retries upstream too (quirk 10.10)
      case CONFLICT_RETRIES_EXHAUSTED, BAD_INPUT -> errRetriesExhausted.increment();
      default -> errInternal.increment();
    }
  }

  public void released(Duration took) {
    releases.increment();
    releaseDuration.record(took);
  }

  public void releaseFailed() {
    releases.increment();
    releaseFailures.increment();
  }

  public void rollbackFailed() {
    rollbackFailures.increment();
  }
}
