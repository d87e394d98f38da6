package io.spidernet.spiderpool.core.subnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.spidernet.spiderpool.api.annotation.AnnotationException;
import io.spidernet.spiderpool.api.ip.IPRanges;
import io.spidernet.spiderpool.api.v2beta1.SpiderSubnet;
import io.spidernet.spiderpool.api.v2beta1.SubnetSpec;
import io.spidernet.spiderpool.core.pod.TopController;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Auto-pools named, labelled and sized as upstream does (spec 2.1, 6.5). */
class AutoPoolsTest {
  private static final TopController WEB =
      new TopController("apps", "v1", "Deployment", "default", "Web", "6a0c6e4c-8cf3-4d0f-9a55-0f1e2d3c4b5a");

  @Test
  void namesFollowUpstream() {
    assertThat(AutoPools.name(4, WEB, "eth0")).isEqualTo("auto4-web-eth0-0f1e2");
    assertThat(AutoPools.name(6, WEB, "NET1")).isEqualTo("auto6-web-net1-0f1e2");
    TopController longName = new TopController("apps", "v1", "Deployment", "default", "a".repeat(253), "x-abc");
    assertThat(AutoPools.name(4, longName, "eth0")).hasSize(253).endsWith("a-eth0-abc");
    assertThat(AutoPools.application(WEB)).isEqualTo("apps_v1_Deployment_default_Web");
    TopController pod = new TopController("", "v1", "Pod", "ns", "p", "u");
    assertThat(AutoPools.application(pod)).isEqualTo("v1_Pod_ns_p");
  }

  @Test
  void theBuiltPoolCarriesUpstreamsLabelsAndIsFoundByThem() {
    SpiderSubnet subnet = new SpiderSubnet();
    subnet.setMetadata(new ObjectMeta());
    subnet.getMetadata().setName("subnet-test");
    subnet.getMetadata().setUid("s-uid");
    subnet.setSpec(new SubnetSpec());
    subnet.getSpec().subnet = "172.18.0.0/16";
    subnet.getSpec().gateway = "172.18.0.1";
    var pool = AutoPools.build(subnet, WEB, new AutoPoolDemand("subnet-test", 4, "eth0", 3, "+1", false),
        IPRanges.parse(4, List.of("172.18.30.131-172.18.30.133"), "ips"), null);
    assertThat(pool.getMetadata().getLabels()).containsEntry("ipam.spidernet.io/owner-application-gv", "apps_v1")
        .containsEntry("ipam.spidernet.io/owner-application-kind", "Deployment")
        .containsEntry("ipam.spidernet.io/owner-application-uid", WEB.uid())
        .containsEntry("ipam.spidernet.io/ip-version", "IPv4")
        .containsEntry("ipam.spidernet.io/ippool-reclaim", "false")
        .containsEntry("ipam.spidernet.io/ippool-cidr", "172-18-0-0-16")
        .containsEntry("ipam.spidernet.io/owner-spider-subnet", "subnet-test");
    assertThat(pool.getMetadata().getAnnotations()).containsEntry("ipam.spidernet.io/ippool-ip-number", "+1");
    assertThat(pool.getSpec().podAffinity.getMatchLabels()).containsEntry("ipam.spidernet.io/app-api-group", "apps")
        .containsEntry("ipam.spidernet.io/app-kind", "Deployment").containsEntry("ipam.spidernet.io/app-name", "Web");
    assertThat(pool.getSpec().gateway).isEqualTo("172.18.0.1");
    assertThat(pool.getMetadata().getOwnerReferences().get(0).getController()).isTrue();
    assertThat(AutoPools.serves(pool, WEB, 4, "eth0")).isTrue();
    assertThat(AutoPools.serves(pool, WEB, 6, "eth0")).isFalse();
    assertThat(AutoPools.ofIncarnation(pool, WEB)).isTrue();
    assertThat(AutoPools.reclaimed(pool)).isFalse();
    assertThat(AutoPools.applicationOf(pool)).isEqualTo(WEB);
  }

  @Test
  void demandsComeFromTheTemplatesAnnotations() {
    Map<String, String> one = Map.of("ipam.spidernet.io/subnet", "{\"ipv4\":[\"s4\",\"ignored\"],\"ipv6\":[\"s6\"]}");
    assertThat(AutoPoolDemands.of(one, 2, 1, true, true, false)).containsExactly(
        new AutoPoolDemand("s4", 4, "eth0", 3, "+1", true), new AutoPoolDemand("s6", 6, "eth0", 3, "+1", true));
    assertThat(AutoPoolDemands.of(one, 2, 1, true, false, false)).hasSize(1);

    Map<String, String> multi = Map.of("ipam.spidernet.io/subnets",
        "[{\"interface\":\"eth0\",\"ipv4\":[\"a\"]},{\"interface\":\"net1\",\"ipv4\":[\"b\"]}]",
        "ipam.spidernet.io/subnet", "{\"ipv4\":[\"loses\"]}",
        "ipam.spidernet.io/ippool-ip-number", "5", "ipam.spidernet.io/ippool-reclaim", "false");
    assertThat(AutoPoolDemands.of(multi, 2, 1, true, true, false)).containsExactly(
        new AutoPoolDemand("a", 4, "eth0", 5, "5", false), new AutoPoolDemand("b", 4, "net1", 5, "5", false));

    Map<String, String> flexible = Map.of("ipam.spidernet.io/subnet", "{\"ipv4\":[\"s4\"]}", "ipam.spidernet.io/ippool-ip-number", "+2");
    assertThat(AutoPoolDemands.of(flexible, 3, 1, true, true, false).get(0).size()).isEqualTo(5);
    assertThatThrownBy(() -> AutoPoolDemands.of(flexible, 3, 1, true, true, true))
        .isInstanceOf(AnnotationException.class).hasMessageContaining("need a fixed number");
    assertThatThrownBy(() -> AutoPoolDemands.of(Map.of("ipam.spidernet.io/subnet", "{\"ipv4\":[\"s\"]}",
        "ipam.spidernet.io/ippool-ip-number", "-1"), 1, 1, true, true, false)).isInstanceOf(AnnotationException.class);
  }
}
