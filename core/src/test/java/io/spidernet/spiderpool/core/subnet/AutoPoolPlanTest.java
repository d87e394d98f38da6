package io.spidernet.spiderpool.core.subnet;

import static org.assertj.core.api.Assertions.assertThat;

import io.spidernet.spiderpool.api.codec.PoolIPPreAllocation;
import io.spidernet.spiderpool.api.ip.IP;
import io.spidernet.spiderpool.api.ip.IPRanges;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How an auto-pool grows and shrinks inside its subnet (spec 6.5). */
class AutoPoolPlanTest {
  private static final IPRanges SUBNET = v4("172.18.30.131-172.18.30.140");

  private static IPRanges v4(String... ips) {
    return IPRanges.parse(4, List.of(ips), "ips");
  }

  private static AutoPoolPlan resize(Map<String, PoolIPPreAllocation> controlled, IPRanges reserved, IPRanges current,
      List<String> allocated, long size) {
    return AutoPoolPlan.resize(SUBNET, controlled, reserved, "auto4-web-eth0-abcde", current,
        allocated.stream().map(IP::parse).toList(), size);
  }

  @Test
  void aNewPoolTakesTheLowestIPsNoOtherPoolWasGivenAndNoneReserved() {
    Map<String, PoolIPPreAllocation> controlled = Map.of(
        "manual", new PoolIPPreAllocation(List.of("172.18.30.131-172.18.30.132"), null),
        "auto4-db-eth0-fghij", new PoolIPPreAllocation(List.of("172.18.30.134"), "apps_v1_StatefulSet_default_db"));
    AutoPoolPlan plan = resize(controlled, v4("172.18.30.135"), IPRanges.empty(4), List.of(), 3);
    assertThat(plan.ips().toStrings()).containsExactly("172.18.30.133", "172.18.30.136-172.18.30.137");
    assertThat(plan.shortfall()).isZero();
  }

  @Test
  void growingKeepsTheIPsThePoolHasAndItsOwnEntryIsNotInTheWay() {
    Map<String, PoolIPPreAllocation> controlled = Map.of(
        "auto4-web-eth0-abcde", new PoolIPPreAllocation(List.of("172.18.30.138-172.18.30.139"), "apps_v1_Deployment_default_web"));
    AutoPoolPlan plan = resize(controlled, IPRanges.empty(4), v4("172.18.30.138-172.18.30.139"), List.of("172.18.30.139"), 4);
    assertThat(plan.ips().toStrings()).containsExactly("172.18.30.131-172.18.30.132", "172.18.30.138-172.18.30.139");
  }

  @Test
  void aSubnetTooSmallGivesWhatItHasAndSaysHowManyAreMissing() {
    Map<String, PoolIPPreAllocation> controlled = Map.of(
        "other", new PoolIPPreAllocation(List.of("172.18.30.131-172.18.30.138"), "apps_v1_Deployment_default_other"));
    AutoPoolPlan plan = resize(controlled, IPRanges.empty(4), IPRanges.empty(4), List.of(), 5);
    assertThat(plan.ips().toStrings()).containsExactly("172.18.30.139-172.18.30.140");
    assertThat(plan.shortfall()).isEqualTo(3);
  }

  @Test
  void shrinkingGivesBackTheHighestFreeIPsAndNeverAnAllocatedOne() {
    IPRanges current = v4("172.18.30.131-172.18.30.135");
    AutoPoolPlan plan = resize(Map.of(), IPRanges.empty(4), current, List.of("172.18.30.135", "172.18.30.132"), 2);
    assertThat(plan.ips().toStrings()).containsExactly("172.18.30.132", "172.18.30.135");
    assertThat(plan.shortfall()).isZero();
    AutoPoolPlan held = resize(Map.of(), IPRanges.empty(4), current, List.of("172.18.30.135", "172.18.30.132", "172.18.30.133"), 2);
    assertThat(held.ips().toStrings()).containsExactly("172.18.30.132-172.18.30.133", "172.18.30.135");
    assertThat(held.shortfall()).as("one IP too many while three pods hold IPs").isEqualTo(1);

    AutoPoolPlan free = resize(Map.of(), IPRanges.empty(4), current, List.of("172.18.30.131"), 2);
    assertThat(free.ips().toStrings()).containsExactly("172.18.30.131-172.18.30.132");
    assertThat(free.shortfall()).isZero();
  }

  @Test
  void aPoolOfTheRightSizeIsLeftAsItIs() {
    IPRanges current = v4("172.18.30.140");
    AutoPoolPlan plan = resize(Map.of(), IPRanges.empty(4), current, List.of(), 1);
    assertThat(plan.ips()).isEqualTo(current);
    assertThat(resize(Map.of(), IPRanges.empty(4), current, List.of("172.18.30.140"), 0).ips().isEmpty())
        .as("scaled to zero while the last pod still holds its IP").isFalse();
  }
}
