package io.spidernet.spiderpool.api.ip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FreeIPsTest {
  private static SortedIPs allocated(String... ips) {
    List<IP> list = new ArrayList<>();
    for (String s : ips) {
      list.add(IP.parse(s));
    }
    return SortedIPs.of(list);
  }

  @Test
  void handsOutTheLowestFreeIPFirst() {
    IPRanges pool = IPRanges.parse(4, List.of("10.6.168.60-10.6.168.69"), "spec.ips");
    assertThat(pool.lowestFree(SortedIPs.empty())).isEqualTo(IP.parse("10.6.168.60"));
    assertThat(pool.lowestFree(allocated("10.6.168.60", "10.6.168.61", "10.6.168.63")))
        .isEqualTo(IP.parse("10.6.168.62"));
  }

  @Test
  void skipsFullRangesAndReportsExhaustion() {
    IPRanges pool = IPRanges.parse(4, List.of("10.0.0.1-10.0.0.2", "10.0.0.10"), "spec.ips");
    assertThat(pool.lowestFree(allocated("10.0.0.1", "10.0.0.2"))).isEqualTo(IP.parse("10.0.0.10"));
    assertThat(pool.lowestFree(allocated("10.0.0.1", "10.0.0.2", "10.0.0.10"))).isNull();
    assertThat(IPRanges.empty(4).lowestFree(SortedIPs.empty())).isNull();
  }

  @Test
  void ignoresAllocatedIPsOutsideTheRanges() {
    IPRanges pool = IPRanges.parse(4, List.of("10.0.0.5-10.0.0.6"), "spec.ips");
    assertThat(pool.lowestFree(allocated("10.0.0.1", "10.0.0.5", "10.0.0.200"))).isEqualTo(IP.parse("10.0.0.6"));
  }

  @Test
  void iteratesEveryFreeIPInOrderUpToTheTopOfTheAddressSpace() {
    IPRanges pool = IPRanges.parse(6,
        List.of("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffc-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), "ips");
    FreeIPs free = pool.free(allocated("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffd"));
    List<String> out = new ArrayList<>();
    free.forEachRemaining(ip -> out.add(ip.toString()));
    assertThat(out).containsExactly(
        "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffc",
        "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe",
        "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
  }

  @Test
  void answersForAHugeIPv6PoolWithoutWalkingIt() {
    IPRanges pool = IPRanges.parse(6, List.of("fd00::-fd00::ffff:ffff:ffff:ffff"), "ips");
    List<IP> taken = new ArrayList<>();
    for (IP ip = IP.parse("fd00::"); taken.size() < 5000; ip = ip.next()) {
      taken.add(ip);
    }
    assertThat(pool.lowestFree(SortedIPs.of(taken))).isEqualTo(IP.parse("fd00::1388"));
  }
}
