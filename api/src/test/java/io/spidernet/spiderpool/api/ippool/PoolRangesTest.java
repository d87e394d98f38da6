package io.spidernet.spiderpool.api.ippool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spidernet.spiderpool.api.v2beta1.IPPoolSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class PoolRangesTest {
  static IPPoolSpec spec(Long version, String subnet, List<String> ips, List<String> exclude) {
    IPPoolSpec s = new IPPoolSpec();
    s.ipVersion = version;
    s.subnet = subnet;
    s.ips = ips;
    s.excludeIPs = exclude;
    return s;
  }

  @Test
  void infersTheFamilyAndNormalisesWhatNoWebhookChecked() {
    // seed 000's pool has no ipVersion; an unmerged, overlapping, partly out-of-subnet list too
    PoolRanges r = PoolRanges.of("test-ippool-6", spec(null, "10.6.0.0/16",
        List.of("10.6.168.65-10.6.168.69", "10.6.168.60-10.6.168.66", "10.7.0.1"), List.of("10.6.168.62")));
    assertThat(r.version()).isEqualTo(4);
    assertThat(r.usable().toStrings()).containsExactly("10.6.168.60-10.6.168.61", "10.6.168.63-10.6.168.69");
    assertThat(r.total()).isEqualTo(9);
  }

  @Test
  void namesThePoolAndFieldWhenTheSpecIsBad() {
    assertThatThrownBy(() -> PoolRanges.of("p", spec(6L, "10.6.0.0/16", null, null)))
        .hasMessage("SpiderIPPool p: spec.ipVersion 6 does not match spec.subnet 10.6.0.0/16");
    assertThatThrownBy(() -> PoolRanges.of("p", spec(null, "10.6.0.1/16", null, null)))
        .hasMessageStartingWith("SpiderIPPool p spec.subnet: invalid CIDR \"10.6.0.1/16\"");
    assertThatThrownBy(() -> PoolRanges.of("p", spec(null, "10.6.0.0/16", List.of("x"), null)))
        .hasMessageStartingWith("SpiderIPPool p spec.ips[0]: invalid IP range \"x\"");
    assertThatThrownBy(() -> PoolRanges.of("p", spec(null, null, null, null)))
        .hasMessage("SpiderIPPool p: spec.subnet is missing");
  }
}
