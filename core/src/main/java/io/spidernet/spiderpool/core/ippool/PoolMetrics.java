package io.spidernet.spiderpool.core.ippool;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What the pool write path counts: conflicts under Spiderpool's name
 * ({@code spiderpool_ipam_allocation_update_ippool_conflict_counts}), and
 * {@code spiderpool_ipam_pool_status_writes} / {@code spiderpool_ipam_pool_batch_requests}, which
 * show what group commit saves. Thread-safe.
 */
public final class PoolMetrics {
  private final Counter conflicts;
  private final Counter statusWrites;
  private final DistributionSummary batchRequests;

  public PoolMetrics(MeterRegistry registry) {
    conflicts = Counter.builder("spiderpool_ipam_allocation_update_ippool_conflict_counts").register(registry);
    statusWrites = Counter.builder("spiderpool_ipam_pool_status_writes").register(registry);
    batchRequests = DistributionSummary.builder("spiderpool_ipam_pool_batch_requests").register(registry);
  }

  public void conflict() {
    conflicts.increment();
  }

  public void statusWrite(int requestsInBatch) {
    statusWrites.increment();
    batchRequests.record(requestsInBatch);
  }

  public double conflicts() {
    return conflicts.count();
  }
}
