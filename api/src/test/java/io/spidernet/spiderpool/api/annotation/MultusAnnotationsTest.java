package io.spidernet.spiderpool.api.annotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spidernet.spiderpool.api.annotation.MultusAnnotations.NetworkSelection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MultusAnnotationsTest {
  @Test
  void readsTheSeedsDefaultNetwork() {
    NetworkSelection net = MultusAnnotations.defaultNetwork("kube-system/macvlan-conf");
    assertThat(net).isEqualTo(new NetworkSelection("kube-system", "macvlan-conf", null));
    assertThat(net.key()).isEqualTo("kube-system/macvlan-conf");
    assertThat(MultusAnnotations.defaultNetwork("macvlan-conf").key()).isEqualTo("macvlan-conf");
  }

  @Test
  void readsTheShortForm() {
    assertThat(MultusAnnotations.networks("kube-system/macvlan-conf@net1, ipvlan-conf ,ns2/sriov.v1@eth2"))
        .containsExactly(
            new NetworkSelection("kube-system", "macvlan-conf", "net1"),
            new NetworkSelection(null, "ipvlan-conf", null),
            new NetworkSelection("ns2", "sriov.v1", "eth2"));
  }

  @Test
  void readsTheJsonForm() {
    assertThat(MultusAnnotations.networks(
            "[{\"name\":\"macvlan-conf\",\"namespace\":\"kube-system\",\"interface\":\"net1\",\"ips\":[\"10.0.0.1/24\"]},"
                + "{\"name\":\"b\"}]"))
        .containsExactly(
            new NetworkSelection("kube-system", "macvlan-conf", "net1"), new NetworkSelection(null, "b", null));
    assertThat(MultusAnnotations.defaultNetwork("{\"name\":\"a\",\"namespace\":\"ns\"}"))
        .isEqualTo(new NetworkSelection("ns", "a", null));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "a/b/c| has more than one '/'",
        "ns/a@x@y| has more than one '@'",
        "a,,b| empty network entry",
        "Bad_Name| \"Bad_Name\" is not a valid object name",
        "ns_x/a| \"ns_x\" is not a valid namespace name",
        "a@bad/if| \"bad/if\" is not a valid interface name",
        "[{\"namespace\":\"ns\"}]| network 0 has no \"name\"",
        "[{\"name\":1}| not a JSON list",
      })
  void rejectsBadNetworks(String value, String problem) {
    assertThatThrownBy(() -> MultusAnnotations.networks(value))
        .isInstanceOf(AnnotationException.class)
        .hasMessageStartingWith("invalid annotation k8s.v1.cni.cncf.io/networks=")
        .hasMessageContaining(problem.strip());
  }

  @Test
  void defaultNetworkIsExactlyOne() {
    assertThatThrownBy(() -> MultusAnnotations.defaultNetwork("a,b"))
        .hasMessage("invalid annotation v1.multus-cni.io/default-network='a,b': expected exactly one network, found 2");
  }

  @Test
  void readsDefaultRouteNic() {
    assertThat(MultusAnnotations.defaultRouteNic("net1")).isEqualTo("net1");
    assertThatThrownBy(() -> MultusAnnotations.defaultRouteNic(""))
        .hasMessageStartingWith("invalid annotation ipam.spidernet.io/default-route-nic='': ");
  }
}
