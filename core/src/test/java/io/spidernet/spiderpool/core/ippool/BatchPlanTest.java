package io.spidernet.spiderpool.core.ippool;

import static org.assertj.core.api.Assertions.assertThat;

import io.spidernet.spiderpool.core.ippool.PoolOutcome.Allocated;
import io.spidernet.spiderpool.core.IpamException.Reason;
import io.spidernet.spiderpool.core.ippool.PoolOutcome.Exhausted;
import io.spidernet.spiderpool.core.ippool.PoolOutcome.Released;
import io.spidernet.spiderpool.core.ippool.PoolRequest.Allocate;
import io.spidernet.spiderpool.core.ippool.PoolRequest.Release;
import io.spidernet.spiderpool.api.codec.PoolIPAllocation;
import io.spidernet.spiderpool.api.codec.PoolIPAllocations;
import io.spidernet.spiderpool.api.ip.IP;
import io.spidernet.spiderpool.api.ip.IPRanges;
import io.spidernet.spiderpool.api.ip.SortedIPs;
import io.spidernet.spiderpool.api.v2beta1.IPPoolSpec;
import io.spidernet.spiderpool.api.v2beta1.IPPoolStatus;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BatchPlanTest {
  static PoolSnapshot pool(String ips, Map<String, PoolIPAllocation> records) {
    SpiderIPPool p = new SpiderIPPool();
    p.getMetadata().setName("test-ippool-6");
    p.getMetadata().setResourceVersion("7");
    IPPoolSpec spec = new IPPoolSpec();
    spec.subnet = "10.6.0.0/16";
    spec.ips = List.of(ips.split(","));
    spec.excludeIPs = List.of("10.6.168.62");
    p.setSpec(spec);
    IPPoolStatus status = new IPPoolStatus();
    status.allocatedIPs = PoolIPAllocations.encode(records);
    p.setStatus(status);
    return PoolSnapshot.of(p, null);
  }

  static final IPRanges NO_RESERVED = IPRanges.empty(4);

  @Test
  void givesLowestFreeIPsInOneBatchSkippingExcludedOnes() {
    PoolSnapshot pool = pool("10.6.168.60-10.6.168.69", Map.of("10.6.168.60", new PoolIPAllocation("ns/a", "ua")));
    BatchPlan plan = BatchPlan.plan(pool, NO_RESERVED, SortedIPs.empty(),
        List.of(new Allocate("ns/b", "ub"), new Allocate("ns/c", "uc"), new Allocate("ns/d", "ud")), 5000);
    assertThat(plan.outcomes()).containsExactly(
        new Allocated("10.6.168.61", true), new Allocated("10.6.168.63", true), new Allocated("10.6.168.64", true));
    assertThat(plan.records()).containsOnlyKeys("10.6.168.60", "10.6.168.61", "10.6.168.63", "10.6.168.64");
    assertThat(plan.changed()).isTrue();
  }

  @Test
  void aRetriedAllocationGetsTheSameIPAndWritesNothing() {
    PoolSnapshot pool = pool("10.6.168.60-10.6.168.69", Map.of("10.6.168.65", new PoolIPAllocation("ns/a", "ua")));
    BatchPlan plan = BatchPlan.plan(pool, NO_RESERVED, SortedIPs.empty(),
        List.of(new Allocate("ns/a", "ua"), new Allocate("ns/a", "ua")), 5000);
    assertThat(plan.outcomes()).containsExactly(new Allocated("10.6.168.65", false), new Allocated("10.6.168.65", false));
    assertThat(plan.changed()).isFalse();
  }

  @Test
  void aDuplicateRequestInOneBatchGetsOneIP() {
    BatchPlan plan = BatchPlan.plan(pool("10.6.168.60-10.6.168.69", Map.of()), NO_RESERVED, SortedIPs.empty(),
        List.of(new Allocate("ns/a", "ua"), new Allocate("ns/a", "ua")), 5000);
    assertThat(plan.outcomes()).containsExactly(new Allocated("10.6.168.60", true), new Allocated("10.6.168.60", false));
    assertThat(plan.records()).hasSize(1);
  }

  @Test
  void skipsReservedIPsAndIPsOtherPoolsHold() {
    PoolSnapshot pool = pool("10.6.168.60-10.6.168.69", Map.of());
    BatchPlan plan = BatchPlan.plan(pool, IPRanges.parse(4, List.of("10.6.168.60"), "ips"),
        SortedIPs.of(List.of(IP.parse("10.6.168.61"))), List.of(new Allocate("ns/a", "ua")), 5000);
    assertThat(plan.outcomes()).containsExactly(new Allocated("10.6.168.63", true));
  }

  @Test
  void exhaustionNamesThePoolAndFailsOnlyTheRequestsThatDoNotFit() {
    PoolSnapshot pool = pool("10.6.168.60-10.6.168.61", Map.of());
    BatchPlan plan = BatchPlan.plan(pool, NO_RESERVED, SortedIPs.empty(),
        List.of(new Allocate("ns/a", "ua"), new Allocate("ns/b", "ub"), new Allocate("ns/c", "uc")), 5000);
    assertThat(plan.outcomes().subList(0, 2)).containsExactly(
        new Allocated("10.6.168.60", true), new Allocated("10.6.168.61", true));
    assertThat(plan.outcomes().get(2)).isEqualTo(
        new Exhausted(Reason.POOL_EXHAUSTED, "all IP addresses used out: IPPool test-ippool-6 has 2 of 2 IPs allocated"));
  }

  @Test
  void theRecordLimitIsUpstreamsMessage() {
    PoolSnapshot pool = pool("10.6.168.60-10.6.168.69", Map.of("10.6.168.60", new PoolIPAllocation("ns/a", "ua")));
    BatchPlan plan = BatchPlan.plan(pool, NO_RESERVED, SortedIPs.empty(), List.of(new Allocate("ns/b", "ub")), 1);
    assertThat(plan.outcomes()).containsExactly(new Exhausted(Reason.POOL_EXHAUSTED,
        "all IP addresses used out, threshold of IP records(<=1) for IPPool test-ippool-6 exceeded"));
  }

  @Test
  void releaseDropsOnlyTheMatchingUidsRecords() {
    PoolSnapshot pool = pool("10.6.168.60-10.6.168.69", Map.of(
        "10.6.168.60", new PoolIPAllocation("ns/a", "old-uid"),
        "10.6.168.61", new PoolIPAllocation("ns/a", "new-uid"),
        "10.6.168.63", new PoolIPAllocation("ns/b", "ub")));
    BatchPlan plan = BatchPlan.plan(pool, NO_RESERVED, SortedIPs.empty(),
        List.of(new Release("old-uid", null), new Release("ub", Set.of("10.6.168.99")), new Release("nobody", null)), 5000);
    assertThat(plan.outcomes()).containsExactly(
        new Released(List.of("10.6.168.60")), new Released(List.of()), new Released(List.of()));
    assertThat(plan.records()).containsOnlyKeys("10.6.168.61", "10.6.168.63");
  }

  @Test
  void aReleasedIPIsNotReusedInTheSameBatch() {
    PoolSnapshot pool = pool("10.6.168.60-10.6.168.61", Map.of("10.6.168.60", new PoolIPAllocation("ns/a", "ua")));
    BatchPlan plan = BatchPlan.plan(pool, NO_RESERVED, SortedIPs.empty(),
        List.of(new Release("ua", null), new Allocate("ns/b", "ub"), new Allocate("ns/c", "uc")), 5000);
    assertThat(plan.outcomes()).containsExactly(new Released(List.of("10.6.168.60")),
        new Allocated("10.6.168.61", true),
        new Exhausted(Reason.POOL_EXHAUSTED, "all IP addresses used out: IPPool test-ippool-6 has 1 of 2 IPs allocated"));
  }

  @Test
  void aDisabledOrTerminatingPoolGivesNoNewIPButReleasesAndKeepsHeldOnes() {
    PoolSnapshot pool = pool("10.6.168.60-10.6.168.69", Map.of("10.6.168.60", new PoolIPAllocation("ns/a", "ua")));
    pool.pool().getSpec().disable = true;
    PoolSnapshot disabled = PoolSnapshot.of(pool.pool(), null);
    BatchPlan plan = BatchPlan.plan(disabled, NO_RESERVED, SortedIPs.empty(),
        List.of(new Allocate("ns/a", "ua"), new Allocate("ns/b", "ub"), new Release("ua", null)), 5000);
    assertThat(plan.outcomes()).containsExactly(new Allocated("10.6.168.60", false),
        new Exhausted(Reason.POOL_EXHAUSTED, "disabled IPPool test-ippool-6"), new Released(List.of("10.6.168.60")));

    pool.pool().getSpec().disable = null;
    pool.pool().getMetadata().setDeletionTimestamp("2026-11-23T08:00:00Z");
    PoolSnapshot terminating = PoolSnapshot.of(pool.pool(), null);
    assertThat(BatchPlan.plan(terminating, NO_RESERVED, SortedIPs.empty(), List.of(new Allocate("ns/b", "ub")), 5000)
        .outcomes()).containsExactly(new Exhausted(Reason.POOL_EXHAUSTED, "terminating IPPool test-ippool-6"));
  }

  @Test
  void aStatefulSetPodsNewIncarnationTakesOverItsRecord() {
    PoolSnapshot pool = pool("10.6.168.60-10.6.168.69", Map.of(
        "10.6.168.60", new PoolIPAllocation("ns/web-0", "old"), "10.6.168.61", new PoolIPAllocation("ns/web-1", "u1")));
    BatchPlan plan = BatchPlan.plan(pool, NO_RESERVED, SortedIPs.empty(), List.of(
        new PoolRequest.Rebind("10.6.168.60", "ns/web-0", "old", "new"),
        new PoolRequest.Rebind("10.6.168.61", "ns/web-0", "old", "new"),
        new PoolRequest.Rebind("10.6.168.65", "ns/web-2", "gone", "fresh")), 5000);
    assertThat(plan.outcomes()).containsExactly(
        new Allocated("10.6.168.60", false),
        new Exhausted(Reason.REFUSED, "data broken: IP 10.6.168.61 of IPPool test-ippool-6 is recorded for pod ns/web-1, not ns/web-0"),
        new Allocated("10.6.168.65", true));
    assertThat(plan.records().get("10.6.168.60")).isEqualTo(new PoolIPAllocation("ns/web-0", "new"));
    assertThat(plan.records().get("10.6.168.65")).isEqualTo(new PoolIPAllocation("ns/web-2", "fresh"));
  }
}
