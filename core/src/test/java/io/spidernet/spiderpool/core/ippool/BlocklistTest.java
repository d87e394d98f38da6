package io.spidernet.spiderpool.core.ippool;

import static org.assertj.core.api.Assertions.assertThat;

import io.spidernet.spiderpool.api.codec.PoolIPAllocation;
import io.spidernet.spiderpool.api.codec.PoolIPAllocations;
import io.spidernet.spiderpool.api.ip.IP;
import io.spidernet.spiderpool.api.ip.IPRanges;
import io.spidernet.spiderpool.api.v2beta1.IPPoolStatus;
import io.spidernet.spiderpool.api.v2beta1.ReservedIPSpec;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.api.v2beta1.SpiderReservedIP;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bad data never widens what a pool may hand out. */
class BlocklistTest {
  static PoolCache cache(List<SpiderIPPool> pools, List<SpiderReservedIP> reserved) {
    return new PoolCache() {
      @Override
      public SpiderIPPool pool(String name) {
        return pools.stream().filter(p -> p.getMetadata().getName().equals(name)).findFirst().orElse(null);
      }

      @Override
      public List<SpiderIPPool> pools() {
        return pools;
      }

      @Override
      public List<SpiderReservedIP> reservedIPs() {
        return reserved;
      }
    };
  }

  static SpiderReservedIP reserved(Long version, String... ips) {
    SpiderReservedIP r = new SpiderReservedIP();
    r.getMetadata().setName("reserve");
    r.getMetadata().setResourceVersion("3");
    ReservedIPSpec spec = new ReservedIPSpec();
    spec.ipVersion = version;
    spec.ips = List.of(ips);
    r.setSpec(spec);
    return r;
  }

  @Test
  void anUnparsableEntryLeavesTheValidEntriesReservedAndIsCounted() {
    Blocklist blocklist = new Blocklist(cache(List.of(), List.of(reserved(4L, "10.0.0.5", "not-an-ip", "10.0.0.7-10.0.0.8"))),
        new PoolSnapshots());
    IPRanges reserved = blocklist.reserved(4);
    assertThat(reserved.contains(IP.parse("10.0.0.5"))).isTrue();
    assertThat(reserved.contains(IP.parse("10.0.0.8"))).isTrue();
    assertThat(blocklist.ignoredEntries()).isEqualTo(1);
  }

  @Test
  void anEntryOfTheOtherFamilyInAReservationWithoutVersionIsNoProblem() {
    Blocklist blocklist = new Blocklist(cache(List.of(), List.of(reserved(null, "10.0.0.5", "fd00::5"))),
        new PoolSnapshots());
    assertThat(blocklist.reserved(4).contains(IP.parse("10.0.0.5"))).isTrue();
    assertThat(blocklist.reserved(6).contains(IP.parse("fd00::5"))).isTrue();
    assertThat(blocklist.ignoredEntries()).isZero();
  }

  @Test
  void theRecordsOfAPoolWithAnUnusableSpecStayRespected() {
    SpiderIPPool broken = PoolSnapshotsTest.pool("broken", "4", "10.0.0.1-10.0.0.9");
    broken.getSpec().subnet = "garbage";
    IPPoolStatus status = new IPPoolStatus();
    status.allocatedIPs = PoolIPAllocations.encode(Map.of("10.0.0.1", new PoolIPAllocation("ns/a", "ua")));
    broken.setStatus(status);
    SpiderIPPool mine = PoolSnapshotsTest.pool("mine", "5", "10.0.0.1-10.0.0.9");
    PoolSnapshots snapshots = new PoolSnapshots();
    Blocklist blocklist = new Blocklist(cache(List.of(broken, mine), List.of()), snapshots);
    assertThat(blocklist.elsewhere(snapshots.of(mine)).contains(IP.parse("10.0.0.1")))
        .as("the broken pool's record still blocks its IP").isTrue();
    assertThat(blocklist.ignoredEntries()).isEqualTo(1);
  }
}
