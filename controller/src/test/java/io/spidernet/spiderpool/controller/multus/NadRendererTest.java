package io.spidernet.spiderpool.controller.multus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.spidernet.spiderpool.api.v2beta1.SpiderMultusConfig;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** SpiderMultusConfig -> NetworkAttachmentDefinition, one row per case (JSON compared semantically). */
class NadRendererTest {
  private static final KubernetesSerialization YAML = new KubernetesSerialization();
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String COORDINATOR = "{\"txQueueLen\":0,\"tunePodRoutes\":true,\"mode\":\"auto\",\"type\":\"coordinator\"}";

  record Row(String situation, String smcSpec, String plugins) {
    @Override
    public String toString() {
      return situation;
    }
  }

  static SpiderMultusConfig smc(String metadata, String spec) {
    return YAML.unmarshal("apiVersion: spiderpool.spidernet.io/v2beta1\nkind: SpiderMultusConfig\nmetadata: {namespace: kube-system, "
        + metadata + "}\nspec: " + spec + "\n", SpiderMultusConfig.class);
  }

  static JsonNode config(NadRenderer.Nad nad) {
    return JSON.readTree(nad.config());
  }

  static Stream<Row> table() {
    String defaulted = "coordinator: {mode: auto, tunePodRoutes: true, txQueueLen: 0}";
    String ipam = "\"ipam\":{\"type\":\"spiderpool\"}";
    return Stream.of(
        new Row("macvlan, one master, pools, defaulted coordinator (spec 6.6's example)",
            "{cniType: macvlan, macvlan: {master: [ens192], ippools: {ipv4: [pool-a]}}, " + defaulted + "}",
            "[{\"type\":\"macvlan\",\"master\":\"ens192\",\"mode\":\"bridge\",\"mtu\":0,\"ipam\":{\"type\":\"spiderpool\","
                + "\"default_ipv4_ippool\":[\"pool-a\"]}}," + COORDINATOR + "]"),
        new Row("macvlan with a VLAN: ifacer first, master.vlan",
            "{cniType: macvlan, enableCoordinator: false, macvlan: {master: [ens192], vlanID: 100, mtu: 1400}}",
            "[{\"vlanID\":100,\"type\":\"ifacer\",\"interfaces\":[\"ens192\"]},"
                + "{\"type\":\"macvlan\",\"master\":\"ens192.100\",\"mode\":\"bridge\",\"mtu\":1400," + ipam + "}]"),
        new Row("macvlan over a bond of two masters",
            "{cniType: macvlan, enableCoordinator: false, macvlan: {master: [eth1, eth2], bond: {name: bond0, mode: 1}}}",
            "[{\"type\":\"ifacer\",\"interfaces\":[\"eth1\",\"eth2\"],\"bond\":{\"name\":\"bond0\",\"mode\":1}},"
                + "{\"type\":\"macvlan\",\"master\":\"bond0\",\"mode\":\"bridge\",\"mtu\":0," + ipam + "}]"),
        new Row("ipvlan: no mode, dual-stack pools",
            "{cniType: ipvlan, enableCoordinator: false, ipvlan: {master: [eth1], ippools: {ipv4: [v4], ipv6: [v6]}}}",
            "[{\"type\":\"ipvlan\",\"master\":\"eth1\",\"mtu\":0,\"ipam\":{\"type\":\"spiderpool\",\"default_ipv4_ippool\":[\"v4\"],"
                + "\"default_ipv6_ippool\":[\"v6\"]}}]"),
        new Row("vlan, manual mode: vlanId, no ifacer for one master",
            "{cniType: vlan, enableCoordinator: false, vlan: {master: [eth1], vlanMode: manual, vlanID: 30}}",
            "[{\"type\":\"vlan\",\"master\":\"eth1\",\"vlanMode\":\"manual\",\"vlanId\":30,\"mtu\":0," + ipam + "}]"),
        new Row("vlan, auto mode over a bond: ifacer without VLAN, no vlanId",
            "{cniType: vlan, enableCoordinator: false, vlan: {master: [eth1, eth2], vlanMode: auto, bond: {name: bond1, mode: 4, "
                + "options: 'miimon=100'}}}",
            "[{\"type\":\"ifacer\",\"interfaces\":[\"eth1\",\"eth2\"],\"bond\":{\"name\":\"bond1\",\"mode\":4,\"options\":\"miimon=100\"}},"
                + "{\"type\":\"vlan\",\"master\":\"bond1\",\"vlanMode\":\"auto\",\"mtu\":0," + ipam + "}]"),
        new Row("sriov: rates, rdma after it, coordinator, tuning last; matchMasterSubnet rendered",
            "{cniType: sriov, sriov: {resourceName: intel.com/sriov, vlanID: 100, minTxRateMbps: 10, maxTxRateMbps: 100, "
                + "rdmaIsolation: true, mtu: 8000, ippools: {ipv4: [p], matchMasterSubnet: true}}, coordinator: {mode: underlay}}",
            "[{\"vlan\":100,\"min_tx_rate\":10,\"max_tx_rate\":100,\"type\":\"sriov\",\"ipam\":{\"type\":\"spiderpool\","
                + "\"default_ipv4_ippool\":[\"p\"],\"match_master_subnet\":true}},{\"type\":\"rdma\"},"
                + "{\"mode\":\"underlay\",\"type\":\"coordinator\"},{\"type\":\"tuning\",\"mtu\":8000}]"),
        new Row("ib-sriov",
            "{cniType: ib-sriov, enableCoordinator: false, ibsriov: {resourceName: mellanox.com/ib, pkey: '0x8001', linkState: enable, "
                + "rdmaIsolation: true, enableIbKubernetes: false}}",
            "[{\"type\":\"ib-sriov\",\"pkey\":\"0x8001\",\"link_state\":\"enable\",\"rdmaIsolation\":true,"
                + "\"ibKubernetesEnabled\":false," + ipam + "}]"),
        new Row("ipoib", "{cniType: ipoib, enableCoordinator: false, ipoib: {master: ib0}}",
            "[{\"type\":\"ipoib\",\"master\":\"ib0\"," + ipam + "}]"),
        new Row("ovs with trunk",
            "{cniType: ovs, enableCoordinator: false, ovs: {bridge: br1, vlan: 10, trunk: [{minID: 20, maxID: 30}, {id: 40}]}}",
            "[{\"vlan\":10,\"type\":\"ovs\",\"bridge\":\"br1\"," + ipam + ",\"trunk\":[{\"minID\":20,\"maxID\":30},{\"id\":40}]}]"),
        new Row("disableIPAM: no ipam block",
            "{cniType: macvlan, disableIPAM: true, enableCoordinator: false, macvlan: {master: [eth1]}}",
            "[{\"type\":\"macvlan\",\"master\":\"eth1\",\"mode\":\"bridge\",\"mtu\":0}]"),
        new Row("chained plugins go before the coordinator",
            "{cniType: ipvlan, ipvlan: {master: [eth1]}, chainCNIJsonData: ['{\"type\":\"bandwidth\",\"ingressRate\":1000}'], "
                + "coordinator: {hijackCIDR: [10.243.0.0/18], podDefaultRouteNIC: net1, podRPFilter: 0, vethLinkAddress: '', "
                + "policyRoutes: [{dst: 10.0.0.0/8, gw: 10.6.0.1}]}}",
            "[{\"type\":\"ipvlan\",\"master\":\"eth1\",\"mtu\":0," + ipam + "},{\"type\":\"bandwidth\",\"ingressRate\":1000},"
                + "{\"podDefaultRouteNic\":\"net1\",\"podRPFilter\":0,\"hijackCIDR\":[\"10.243.0.0/18\"],"
                + "\"policyRoutes\":[{\"dst\":\"10.0.0.0/8\",\"gw\":\"10.6.0.1\"}],\"type\":\"coordinator\"}]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void row(Row row) {
    NadRenderer.Nad nad = NadRenderer.render(smc("name: net", row.smcSpec()));
    assertThat(nad.name()).isEqualTo("net");
    JsonNode config = config(nad);
    assertThat(config.get("cniVersion").asString()).isEqualTo("0.3.1");
    assertThat(config.get("name").asString()).isEqualTo("net");
    assertThat(config.get("plugins")).isEqualTo(JSON.readTree(row.plugins()));
  }

  @Test
  void annotationsNameTheNadTheCniNameAndVersionAndAreCopied() {
    NadRenderer.Nad nad = NadRenderer.render(smc("name: net, annotations: {multus.spidernet.io/cr-name: other, "
        + "multus.spidernet.io/cni-version: 1.0.0, cni.spidernet.io/cniconfig-name: inner, team: blue}",
        "{cniType: sriov, enableCoordinator: false, sriov: {resourceName: intel.com/sriov}}"));
    assertThat(nad.name()).isEqualTo("other");
    assertThat(config(nad).get("cniVersion").asString()).isEqualTo("1.0.0");
    assertThat(config(nad).get("name").asString()).isEqualTo("inner");
    assertThat(nad.annotations()).containsEntry("team", "blue").containsEntry(NadRenderer.RESOURCE_NAME, "intel.com/sriov");
  }

  @Test
  void ovsWithADeviceNamesItsBridgeResource() {
    NadRenderer.Nad nad = NadRenderer.render(smc("name: net", "{cniType: ovs, enableCoordinator: false, ovs: {bridge: br1, "
        + "deviceID: '0000:af:00.1'}}"));
    assertThat(config(nad).get("plugins").get(0).get("deviceID").asString()).isEqualTo("0000:af:00.1");
    assertThat(nad.annotations()).containsEntry(NadRenderer.RESOURCE_NAME, "ovs-cni.network.kubevirt.io/br1");
  }

  @Test
  void customIsVerbatimAndWithoutConfigWhenEmpty() {
    String raw = "{\"cniVersion\":\"0.4.0\",\"name\":\"x\",\"plugins\":[{\"type\":\"bridge\"}]}";
    assertThat(NadRenderer.render(smc("name: net", "{cniType: custom, customCNI: '" + raw + "'}")).config()).isEqualTo(raw);
    assertThat(NadRenderer.render(smc("name: net", "{cniType: custom}")).config()).isNull();
  }

  @Test
  void whatCannotBeRenderedIsNamed() {
    assertThatThrownBy(() -> NadRenderer.render(smc("name: net", "{cniType: macvlan}")))
        .hasMessage("SpiderMultusConfig kube-system/net: spec.macvlan is required by its cniType");
    assertThatThrownBy(() -> NadRenderer.render(smc("name: net", "{cniType: ipvlan, ipvlan: {master: [a, b]}}")))
        .hasMessageContaining("spec.ipvlan.bond.name is required with 2 masters");
    assertThatThrownBy(() -> NadRenderer.render(smc("name: net", "{cniType: ipvlan, ipvlan: {master: [a]}, chainCNIJsonData: ['{']}")))
        .hasMessageStartingWith("SpiderMultusConfig kube-system/net: spec.chainCNIJsonData[0] is not valid JSON");
  }
}
