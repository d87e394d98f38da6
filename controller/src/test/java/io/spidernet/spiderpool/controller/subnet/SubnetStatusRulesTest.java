package io.spidernet.spiderpool.controller.subnet;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.spidernet.spiderpool.api.codec.ControlledIPPools;
import io.spidernet.spiderpool.api.codec.PoolIPPreAllocation;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.api.v2beta1.SpiderSubnet;
import io.spidernet.spiderpool.api.v2beta1.SubnetStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A subnet's status from its pools (spec 6.5). */
class SubnetStatusRulesTest {
  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  static SpiderSubnet subnet() {
    SpiderSubnet s = YAML.unmarshal("apiVersion: spiderpool.spidernet.io/v2beta1\nkind: SpiderSubnet\nmetadata: {name: sub, uid: u-sub}\n"
        + "spec: {ipVersion: 4, subnet: 10.6.0.0/16, ips: [10.6.0.10-10.6.0.109], excludeIPs: [10.6.0.100-10.6.0.109]}\n",
        SpiderSubnet.class);
    return s;
  }

  static SpiderIPPool pool(String name, String ips, String owner, String extraLabels) {
    return YAML.unmarshal("apiVersion: spiderpool.spidernet.io/v2beta1\nkind: SpiderIPPool\nmetadata: {name: " + name
        + (owner == null ? "" : ", ownerReferences: [{apiVersion: spiderpool.spidernet.io/v2beta1, kind: SpiderSubnet, name: "
        + owner + ", uid: u-" + owner + ", controller: true}]") + (extraLabels == null ? "" : ", labels: {" + extraLabels + "}")
        + "}\nspec: {ipVersion: 4, subnet: 10.6.0.0/16, ips: [" + ips + "]}\n", SpiderIPPool.class);
  }

  @Test
  void controlledPoolsCountTheSubnetIPsTheyHold() {
    SubnetStatusRules.Computed c = SubnetStatusRules.compute(subnet(), List.of(
        pool("a", "10.6.0.10-10.6.0.19", "sub", null),
        pool("b", "10.6.0.95-10.6.0.104", "sub", null), // 5 of them are excluded from the subnet
        pool("other", "10.6.0.20-10.6.0.29", "elsewhere", null),
        pool("free", "10.6.0.30-10.6.0.39", null, null)), app -> false);
    assertThat(c.controlled()).containsOnlyKeys("a", "b");
    assertThat(c.controlled().get("a").ips()).containsExactly("10.6.0.10-10.6.0.19");
    assertThat(c.controlled().get("b").ips()).containsExactly("10.6.0.95-10.6.0.99");
    assertThat(c.allocated()).isEqualTo(15);
    assertThat(c.total()).isEqualTo(90);
  }

  @Test
  void autoPoolPreAllocationsStandAndOutliveTheirPoolWhileTheApplicationExists() {
    SpiderSubnet s = subnet();
    s.setStatus(new SubnetStatus());
    s.getStatus().controlledIPPools = ControlledIPPools.encode(Map.of(
        "auto4-web-eth0-abcde", new PoolIPPreAllocation(List.of("10.6.0.40-10.6.0.42"), "apps_v1_Deployment_shop_web"),
        "auto4-gone-eth0-fghij", new PoolIPPreAllocation(List.of("10.6.0.50"), "apps_v1_Deployment_shop_gone"),
        "auto4-api-eth0-klmno", new PoolIPPreAllocation(List.of("10.6.0.60-10.6.0.61"), "apps_v1_Deployment_shop_api")));
    SubnetStatusRules.Computed c = SubnetStatusRules.compute(s, List.of(
        pool("auto4-web-eth0-abcde", "10.6.0.40-10.6.0.41", "sub", "ipam.spidernet.io/owner-application-uid: x")),
        app -> app.endsWith("_api"));
    assertThat(c.controlled()).containsOnlyKeys("auto4-web-eth0-abcde", "auto4-api-eth0-klmno");
    assertThat(c.controlled().get("auto4-web-eth0-abcde").ips()).as("the pre-allocation, not the pool's current IPs")
        .containsExactly("10.6.0.40-10.6.0.42");
    assertThat(c.allocated()).isEqualTo(5);
  }

  @Test
  void onlyUncontrolledPoolsOfTheSameCidrAreAdopted() {
    assertThat(SubnetStatusRules.adoptable(subnet(), pool("free", "10.6.0.30", null, null))).isTrue();
    assertThat(SubnetStatusRules.adoptable(subnet(), pool("taken", "10.6.0.30", "elsewhere", null))).isFalse();
    SpiderIPPool otherCidr = pool("v", "10.6.0.30", null, null);
    otherCidr.getSpec().subnet = "10.6.0.0/24";
    assertThat(SubnetStatusRules.adoptable(subnet(), otherCidr)).isFalse();
  }
}
