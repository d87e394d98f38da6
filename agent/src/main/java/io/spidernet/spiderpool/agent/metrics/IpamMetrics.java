package io.spidernet.spiderpool.agent.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The agent's metrics under Spiderpool's documented names (spec section 8; the Prometheus registry
 * adds {@code _total} to counters), plus {@code spiderpool_ipam_pool_status_writes} and
 * {@code spiderpool_ipam_pool_batch_requests}, which show what group commit saves. Thread-safe.
 */
public final class IpamMetrics {
  private final Counter allocations;
  private final Counter allocationFailures;
  private final Counter allocationConflicts;
  private final Counter errInternal;
  private final Counter errNoAvailablePool;
  private final Counter errRetriesExhausted;
  private final Counter errIPUsedOut;
  private final Counter releases;
  private final Counter releaseFailures;
  private final Counter statusWrites;
  private final DistributionSummary batchRequests;
  private final Timer allocationDuration;
  private final Timer releaseDuration;

  public IpamMetrics(MeterRegistry registry) {
    allocations = Counter.builder("spiderpool_ipam_allocation_counts").register(registry);
    allocationFailures = Counter.builder("spiderpool_ipam_allocation_failure_counts").register(registry);
    allocationConflicts = Counter.builder("spiderpool_ipam_allocation_update_ippool_conflict_counts").register(registry);
    errInternal = Counter.builder("spiderpool_ipam_allocation_err_internal_counts").register(registry);
    errNoAvailablePool = Counter.builder("spiderpool_ipam_allocation_err_no_available_pool_counts").register(registry);
    errRetriesExhausted = Counter.builder("spiderpool_ipam_allocation_err_retries_exhausted_counts").register(registry);
    errIPUsedOut = Counter.builder("spiderpool_ipam_allocation_err_ip_used_out_counts").register(registry);
    releases = Counter.builder("spiderpool_ipam_release_counts").register(registry);
    releaseFailures = Counter.builder("spiderpool_ipam_release_failure_counts").register(registry);
    statusWrites = Counter.builder("spiderpool_ipam_pool_status_writes").register(registry);
    batchRequests = DistributionSummary.builder("spiderpool_ipam_pool_batch_requests").register(registry);
    Duration[] buckets = {Duration.ofMillis(100), Duration.ofMillis(300), Duration.ofMillis(500), Duration.ofSeconds(1),
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

  /** Counts a failed allocation in the error class Spiderpool derives from its message. */
  public void allocationFailed(String message) {
    allocations.increment();
    allocationFailures.increment();
    String m = message == null ? "" : message;
    if (m.contains("no IPPool available")) {
      errNoAvailablePool.increment();
    } else if (m.contains("all IP addresses used out")) {
      errIPUsedOut.increment();
    } else if (m.contains("exhaust all retries") || m.contains("wrong input")) {
      errRetriesExhausted.increment(); // "wrong input" lands here upstream too (quirk 10.10)
    } else {
      errInternal.increment();
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

  public void poolConflict() {
    allocationConflicts.increment();
  }

  public void poolStatusWrite(int requestsInBatch) {
    statusWrites.increment();
    batchRequests.record(requestsInBatch);
  }
}
