package io.spidernet.spiderpool.api.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ControlledIPPoolsTest {
  @Test
  void roundTripsManualAndAutoPools() {
    Map<String, PoolIPPreAllocation> pools = new TreeMap<>();
    pools.put("auto4-nginx-eth0-a1b2c",
        new PoolIPPreAllocation(List.of("172.18.30.131-172.18.30.132"), "apps_v1_Deployment_default_nginx"));
    pools.put("manual-pool", new PoolIPPreAllocation(List.of("172.18.30.140"), null));
    String json = ControlledIPPools.encode(pools);
    assertThat(json).isEqualTo(
        "{\"auto4-nginx-eth0-a1b2c\":{\"ips\":[\"172.18.30.131-172.18.30.132\"],"
            + "\"application\":\"apps_v1_Deployment_default_nginx\"},"
            + "\"manual-pool\":{\"ips\":[\"172.18.30.140\"]}}");
    assertThat(ControlledIPPools.decode("subnet-test", json)).isEqualTo(pools);
    assertThat(ControlledIPPools.encode(Map.of())).isNull();
    assertThat(ControlledIPPools.decode("subnet-test", null)).isEmpty();
  }

  @Test
  void malformedStatusNamesTheSubnetPoolAndEntry() {
    assertThatThrownBy(() -> ControlledIPPools.decode("subnet-test", "{\"p\":{\"ips\":[\"10.0.0.1\",\"bad\"]}}"))
        .isInstanceOf(StatusCodecException.class)
        .hasMessage("SpiderSubnet subnet-test status.controlledIPPools: pool p ips[1]: "
            + "invalid IP range \"bad\": invalid IP address \"bad\": unexpected character 'b'");
    assertThatThrownBy(() -> ControlledIPPools.decode("subnet-test", "{\"p\":{}}"))
        .hasMessage("SpiderSubnet subnet-test status.controlledIPPools: pool p has no ips");
    assertThatThrownBy(() -> ControlledIPPools.decode("subnet-test", "\"x\""))
        .hasMessageStartingWith("SpiderSubnet subnet-test status.controlledIPPools: not a JSON object");
  }
}
