package io.spidernet.spiderpool.agent.ipam;

import io.spidernet.spiderpool.core.pod.TopController;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spidernet.spiderpool.api.v2beta1.IPAllocationDetail;
import io.spidernet.spiderpool.api.v2beta1.IPPoolSpec;
import io.spidernet.spiderpool.api.v2beta1.Route;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NicDetailsTest {
  static SpiderIPPool pool(String subnet, String gateway, List<Route> routes) {
    SpiderIPPool p = new SpiderIPPool();
    p.getMetadata().setName("p");
    IPPoolSpec spec = new IPPoolSpec();
    spec.subnet = subnet;
    spec.gateway = gateway;
    spec.routes = routes;
    p.setSpec(spec);
    return p;
  }

  static PodContext pod(Map<String, String> annotations) {
    return new PodContext("default", "p", "u", "n", Map.of(), annotations, Map.of(), Map.of(), Map.of(),
        new TopController("", "v1", "Pod", "default", "p", "u"));
  }

  @Test
  void recordsEachNicsAddressesGatewaysAndRoutes() {
    List<NicCandidates> nics = List.of(new NicCandidates("eth0", false, List.of("v4"), List.of("v6")),
        new NicCandidates("net1", true, List.of("n4"), List.of()));
    List<HeldIP> held = List.of(
        new HeldIP("eth0", 4, "v4", "10.6.168.60", true, pool("10.6.0.0/16", "10.6.0.1", List.of(new Route("10.96.0.0/12", "10.6.0.1")))),
        new HeldIP("eth0", 6, "v6", "fd00:6::60", true, pool("fd00:6::/64", "fd00:6::1", null)),
        new HeldIP("net1", 4, "n4", "10.7.0.5", false, pool("10.7.0.0/24", null, null)));
    List<IPAllocationDetail> details = NicDetails.assemble(nics, held,
        pod(Map.of("ipam.spidernet.io/routes", "[{\"dst\":\"10.99.0.0/16\",\"gw\":\"10.7.0.1\"},{\"dst\":\"10.98.0.0/16\",\"gw\":\"192.0.2.1\"}]")));
    IPAllocationDetail eth0 = details.get(0);
    assertThat(eth0.ipv4).isEqualTo("10.6.168.60/16");
    assertThat(eth0.ipv6).isEqualTo("fd00:6::60/64");
    assertThat(eth0.ipv4Gateway).isEqualTo("10.6.0.1");
    assertThat(eth0.routes).containsExactly(new Route("10.96.0.0/12", "10.6.0.1"));
    IPAllocationDetail net1 = details.get(1);
    assertThat(net1.cleanGateway).isTrue();
    assertThat(net1.routes).as("the annotation route whose gateway is in net1's subnet; the other matches none")
        .containsExactly(new Route("10.99.0.0/16", "10.7.0.1"));
    assertThat(NicDetails.ipsByPool(details)).containsExactly(
        Map.entry("v4", java.util.Set.of("10.6.168.60")), Map.entry("v6", java.util.Set.of("fd00:6::60")),
        Map.entry("n4", java.util.Set.of("10.7.0.5")));
  }

  @Test
  void aMalformedRoutesAnnotationIsWrongInput() {
    assertThatThrownBy(() -> NicDetails.assemble(List.of(new NicCandidates("eth0", false, List.of("v4"), List.of())),
            List.of(new HeldIP("eth0", 4, "v4", "10.6.0.9", true, pool("10.6.0.0/16", null, null))),
            pod(Map.of("ipam.spidernet.io/routes", "nope"))))
        .hasMessageStartingWith("wrong input, pod default/p: invalid annotation ipam.spidernet.io/routes='nope'");
  }
}
