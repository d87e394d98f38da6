package io.spidernet.spiderpool.agent.ipam;

import io.spidernet.spiderpool.core.pod.TopController;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.spidernet.spiderpool.agent.config.AgentConfig;
import io.spidernet.spiderpool.api.Constants;
import io.spidernet.spiderpool.api.v2beta1.IPPoolSpec;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Candidate selection (spec 2.2) and filtering and ordering (spec 2.3), one case per rule. */
class SelectionTest {
  static final AgentConfig CONFIG = AgentConfig.defaults();
  static final TopController DS = new TopController("apps", "v1", "DaemonSet", "default", "test-app", "ds");

  static SpiderIPPool pool(String name, String subnet, Consumer<IPPoolSpec> edit) {
    SpiderIPPool p = new SpiderIPPool();
    p.getMetadata().setName(name);
    IPPoolSpec s = new IPPoolSpec();
    s.subnet = subnet;
    edit.accept(s);
    p.setSpec(s);
    return p;
  }

  // The pools of seeds 000 (nodeName) and 002 (nodeAffinity), and a few more.
  static final List<SpiderIPPool> POOLS = List.of(
      pool("test-ippool-6", "10.6.0.0/16", s -> s.nodeName = List.of("controller-node-1")),
      pool("test-ippool-7", "10.7.0.0/16", s -> s.nodeName = List.of("worker-node-1")),
      pool("affinity-6", "10.6.0.0/16", s -> s.nodeAffinity = new LabelSelectorBuilder().addNewMatchExpression()
          .withKey("node-subnet").withOperator("In").withValues("subnet-6").endMatchExpression().build()),
      pool("default-v4", "172.110.1.0/24", s -> s.defaultPool = true),
      pool("default-v6", "fd00:110::/64", s -> s.defaultPool = true),
      pool("v6-a", "fd00:1::/64", s -> {}),
      pool("v4-a", "10.1.0.0/24", s -> {}),
      pool("v4-b", "10.2.0.0/24", s -> {}),
      pool("ns-only", "10.3.0.0/24", s -> s.namespaceName = List.of("team-a")),
      pool("ns-affinity", "10.4.0.0/24", s -> s.namespaceAffinity =
          new LabelSelectorBuilder().withMatchLabels(Map.of("tier", "gold")).build()),
      pool("pod-affinity", "10.5.0.0/24", s -> s.podAffinity =
          new LabelSelectorBuilder().withMatchLabels(Map.of("app", "db")).build()),
      pool("multus", "10.8.0.0/24", s -> s.multusName = List.of("kube-system/macvlan-conf")),
      pool("disabled", "10.9.0.0/24", s -> s.disable = true));

  static PodContext pod(String node, Map<String, String> annotations) {
    return new PodContext("default", "test-app-j9ftl", "uid-1", node, Map.of("app", "test-app"), annotations,
        Map.of("node-subnet", node.equals("controller-node-1") ? "subnet-6" : "subnet-7"), Map.of(), Map.of(), DS);
  }

  static final CandidateRules.CniInputs ETH0 = new CandidateRules.CniInputs("eth0", List.of(), List.of(), false);

  static SpiderIPPool lookup(String name) {
    return POOLS.stream().filter(p -> p.getMetadata().getName().equals(name)).findFirst().orElse(null);
  }

  static List<String> chosen(PodContext pod, int version, List<String> names) {
    return PoolFilter.filter(version, "eth0", names, pod, SelectionTest::lookup, "kube-system", null).stream()
        .map(p -> p.getMetadata().getName()).toList();
  }

  @ParameterizedTest(name = "{0}: {1} -> {2}")
  @CsvSource(delimiter = '|', value = {
    // seed 000: both pools listed, each node keeps its own
    "controller-node-1|test-ippool-6,test-ippool-7|test-ippool-6",
    "worker-node-1|test-ippool-6,test-ippool-7|test-ippool-7",
    // seed 002: nodeAffinity on node labels
    "controller-node-1|affinity-6,test-ippool-7|affinity-6",
  })
  void theSeedsPoolsFollowTheirNode(String node, String listed, String expected) {
    PodContext p = pod(node, Map.of());
    assertThat(chosen(p, 4, List.of(listed.split(",")))).containsExactly(expected);
  }

  @Test
  void matchMasterSubnetKeepsOnlyPoolsWhoseSubnetHoldsAnAddressOfTheMaster() {
    MasterInterfaces.Master master = new MasterInterfaces.Master("0000:af:06.0", "ens1f0",
        List.of(io.spidernet.spiderpool.api.ip.IP.parse("10.2.0.7")));
    assertThat(PoolFilter.filter(4, "eth0", List.of("v4-a", "v4-b"), pod("controller-node-1", Map.of()),
        SelectionTest::lookup, "kube-system", null, master)).extracting(p -> p.getMetadata().getName())
        .containsExactly("v4-b");
    assertThatThrownBy(() -> PoolFilter.filter(4, "eth0", List.of("v4-a"), pod("controller-node-1", Map.of()),
        SelectionTest::lookup, "kube-system", null, master))
        .hasMessage("no IPPool available, all IPv4 IPPools [v4-a] of eth0 filtered out: [unmatched master subnet of "
            + "IPPool v4-a: 10.1.0.0/24 contains no address of ens1f0 [10.2.0.7], the master of VF 0000:af:06.0]");
  }

  @Test
  void precedenceIppoolsThenIppoolThenNamespaceThenCniThenClusterDefault() {
    Map<String, String> both = new HashMap<>();
    both.put("ipam.spidernet.io/ippools", "[{\"interface\":\"eth0\",\"ipv4\":[\"v4-a\"]},{\"interface\":\"net1\",\"ipv4\":[\"v4-b\"]}]");
    both.put("ipam.spidernet.io/ippool", "{\"ipv4\":[\"v4-b\"]}");
    assertThat(CandidateRules.select(pod("controller-node-1", both), ETH0, CONFIG, POOLS)).containsExactly(
        new NicCandidates("eth0", false, List.of("v4-a"), List.of()), new NicCandidates("net1", false, List.of("v4-b"), List.of()));

    assertThat(CandidateRules.select(pod("controller-node-1", Map.of("ipam.spidernet.io/ippool", "{\"ipv4\":[\"v4-b\"]}")),
        ETH0, CONFIG, POOLS)).containsExactly(new NicCandidates("eth0", false, List.of("v4-b"), List.of()));

    PodContext inNamespace = new PodContext("default", "p", "u", "controller-node-1", Map.of(), Map.of(), Map.of(), Map.of(),
        Map.of("ipam.spidernet.io/default-ipv4-ippool", "[\"v4-a\"]"), DS);
    assertThat(CandidateRules.select(inNamespace, new CandidateRules.CniInputs("eth0", List.of("v4-b"), List.of(), false),
        CONFIG, POOLS)).containsExactly(new NicCandidates("eth0", false, List.of("v4-a"), List.of()));

    assertThat(CandidateRules.select(pod("controller-node-1", Map.of()),
        new CandidateRules.CniInputs("net1", List.of("v4-b"), List.of("v6-a"), true), CONFIG, POOLS))
        .containsExactly(new NicCandidates("net1", true, List.of("v4-b"), List.of("v6-a")));

    assertThat(CandidateRules.select(pod("controller-node-1", Map.of()), ETH0, CONFIG, POOLS))
        .as("seed 003: spec.default pools, by family")
        .containsExactly(new NicCandidates("eth0", false, List.of("default-v4"), List.of("default-v6")));
  }

  @Test
  void globsExpandAgainstTheFamilysPools() {
    assertThat(CandidateRules.select(pod("controller-node-1", Map.of("ipam.spidernet.io/ippool",
        "{\"ipv4\":[\"v4-*\"],\"ipv6\":[\"v?-[a-c]\"]}")), ETH0, CONFIG, POOLS))
        .containsExactly(new NicCandidates("eth0", false, List.of("v4-a", "v4-b"), List.of("v6-a")));
  }

  @Test
  void disabledFamiliesAreDropped() {
    AgentConfig v4only = new AgentConfig("/s", true, false, true, true, true, true, false, false, 1);
    assertThat(CandidateRules.select(pod("controller-node-1", Map.of()), ETH0, v4only, POOLS))
        .containsExactly(new NicCandidates("eth0", false, List.of("default-v4"), List.of()));
  }

  @Test
  void multiNicWithoutNamesBindsByOrderAndANamedListMustNameTheNic() {
    assertThat(CandidateRules.select(pod("controller-node-1", Map.of("ipam.spidernet.io/ippools",
        "[{\"ipv4\":[\"v4-a\"]},{\"ipv4\":[\"v4-b\"],\"cleangateway\":true}]")), ETH0, CONFIG, POOLS))
        .containsExactly(new NicCandidates("eth0", false, List.of("v4-a"), List.of()),
            new NicCandidates("1", true, List.of("v4-b"), List.of()));
    assertThatThrownBy(() -> CandidateRules.select(pod("controller-node-1", Map.of("ipam.spidernet.io/ippools",
        "[{\"interface\":\"net1\",\"ipv4\":[\"v4-a\"]}]")), ETH0, CONFIG, POOLS))
        .hasMessage("wrong input, annotation ipam.spidernet.io/ippools names no pools for interface eth0");
  }

  @Test
  void noRuleAndNoDefaultPoolIsUpstreamsError() {
    List<SpiderIPPool> noDefaults = POOLS.stream().filter(p -> p.getSpec().defaultPool == null).toList();
    assertThatThrownBy(() -> CandidateRules.select(pod("controller-node-1", Map.of()), ETH0, CONFIG, noDefaults))
        .hasMessage("no IPPool available, no pool selection rules of any type are specified");
  }

  @Test
  void subnetAnnotationsSayWhatIsMissing() {
    AgentConfig noAutoPool = new AgentConfig("/s", true, true, true, true, true, false, false, false, 1);
    assertThatThrownBy(() -> CandidateRules.select(pod("controller-node-1", Map.of("ipam.spidernet.io/subnet",
        "{\"ipv4\":[\"s\"]}")), ETH0, noAutoPool, POOLS))
        .hasMessageStartingWith("it's invalid to use 'ipam.spidernet.io/subnets' or 'ipam.spidernet.io/subnet'");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "disabled|disabled IPPool disabled",
    "v6-a|IPPool v6-a is IPv6, not IPv4",
    "test-ippool-7|unmatched Node name of IPPool test-ippool-7: node controller-node-1 is not in [worker-node-1]",
    "ns-only|unmatched Namespace name of IPPool ns-only: default is not in [team-a]",
    "ns-affinity|unmatched Namespace affinity of IPPool ns-affinity",
    "pod-affinity|unmatched Pod affinity of IPPool pod-affinity",
    "multus|IPPool multus requires multusName [kube-system/macvlan-conf] but NIC eth0 has no Multus network",
  })
  void eachFilterSaysWhy(String name, String reason) {
    assertThatThrownBy(() -> chosen(pod("controller-node-1", Map.of()), 4, List.of(name)))
        .hasMessage("no IPPool available, all IPv4 IPPools [" + name + "] of eth0 filtered out: [" + reason + "]");
  }

  @Test
  void terminatingPoolsAreFilteredAndDuplicatesAndMissingPoolsAreWrongInput() {
    SpiderIPPool terminating = pool("terminating", "10.10.0.0/24", s -> {});
    terminating.getMetadata().setDeletionTimestamp("2026-11-23T08:00:00Z");
    assertThat(PoolFilter.reject(terminating, 4, "eth0", pod("controller-node-1", Map.of()), "kube-system", null))
        .isEqualTo("terminating IPPool terminating");
    assertThatThrownBy(() -> chosen(pod("controller-node-1", Map.of()), 4, List.of("v4-a", "v4-a")))
        .hasMessage("wrong input, duplicate IPPool v4-a specified for NIC eth0");
    assertThatThrownBy(() -> chosen(pod("controller-node-1", Map.of()), 4, List.of("nope")))
        .hasMessage("failed to get original IPPool nope: not found");
  }

  @Test
  void multusNameMatchesTheNicsNetwork() {
    PodContext seed = pod("controller-node-1", Map.of("v1.multus-cni.io/default-network", "kube-system/macvlan-conf"));
    assertThat(chosen(seed, 4, List.of("multus"))).containsExactly("multus");
    PodContext other = pod("controller-node-1", Map.of("v1.multus-cni.io/default-network", "kube-system/ipvlan"));
    assertThatThrownBy(() -> chosen(other, 4, List.of("multus")))
        .hasMessageContaining("unmatched Multus name of IPPool multus: NIC eth0 uses kube-system/ipvlan");
    assertThat(PoolFilter.nadOf("eth0", pod("controller-node-1", Map.of()), "kube-system", "macvlan-conf"))
        .as("MULTUS_CLUSTER_NETWORK, bare name in the agent's namespace").isEqualTo("kube-system/macvlan-conf");
    assertThat(PoolFilter.nadOf("net2", pod("controller-node-1", Map.of("k8s.v1.cni.cncf.io/networks", "a,ns2/b")),
        "kube-system", null)).as("net<index+1>, pod namespace by default").isEqualTo("ns2/b");
  }

  @Test
  void autoPoolsServeOnlyTheirApplication() {
    SpiderIPPool auto = pool("auto4-test-app-eth0", "10.11.0.0/24", s -> s.podAffinity = new LabelSelectorBuilder()
        .withMatchLabels(Map.of(Constants.APP_API_GROUP, "apps", Constants.APP_API_VERSION, "v1", Constants.APP_KIND,
            "DaemonSet", Constants.APP_NAMESPACE, "default", Constants.APP_NAME, "test-app")).build());
    auto.getMetadata().setLabels(Map.of(Constants.LABEL_OWNER_APPLICATION_NAME, "test-app"));
    assertThat(PoolFilter.reject(auto, 4, "eth0", pod("controller-node-1", Map.of()), "kube-system", null)).isNull();
    PodContext otherApp = new PodContext("default", "p", "u", "n", Map.of(), Map.of(), Map.of(), Map.of(), Map.of(),
        new TopController("apps", "v1", "Deployment", "default", "web", "w"));
    assertThat(PoolFilter.reject(auto, 4, "eth0", otherApp, "kube-system", null))
        .isEqualTo("unmatched Pod affinity of auto-created IPPool auto4-test-app-eth0: it serves another application");
  }

  @Test
  void survivorsAreOrderedByHowSpecificTheirAffinityIs() {
    PodContext p = new PodContext("team-a", "db-0", "u", "controller-node-1", Map.of("app", "db"), Map.of(),
        Map.of("node-subnet", "subnet-6"), Map.of("tier", "gold"), Map.of(), DS);
    assertThat(chosen(p, 4, List.of("v4-a", "ns-affinity", "ns-only", "affinity-6", "test-ippool-6", "pod-affinity", "v4-b")))
        .containsExactly("pod-affinity", "test-ippool-6", "affinity-6", "ns-only", "ns-affinity", "v4-a", "v4-b");
  }
}
