package io.spidernet.spiderpool.webhook.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.spidernet.spiderpool.api.nad.NetworkAttachmentDefinition;
import io.spidernet.spiderpool.webhook.review.Kind;
import io.spidernet.spiderpool.webhook.review.Verdict;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** SpiderMultusConfig defaults and rules (spec 3.5). */
class MultusConfigWebhookTest {
  private final InMemoryView view = new InMemoryView();
  private final MultusConfigWebhook webhook = new MultusConfigWebhook(view, Reviews.TREES);

  private static String smc(String annotations, String spec) {
    return "apiVersion: spiderpool.spidernet.io/v2beta1\nkind: SpiderMultusConfig\nmetadata:\n  name: macvlan-conf\n"
        + "  namespace: kube-system\n" + (annotations.isEmpty() ? "" : "  annotations: " + annotations + "\n") + "spec:\n"
        + spec.indent(2);
  }

  private Verdict create(String annotations, String spec) {
    return webhook.validate(Reviews.afterMutation(webhook, Reviews.create(Kind.SPIDER_MULTUS_CONFIG, smc(annotations, spec))));
  }

  @Test
  void seed003MacvlanIsDefaulted() {
    JsonNode m = Reviews.mutated(webhook, Reviews.create(Kind.SPIDER_MULTUS_CONFIG, smc("", "cniType: macvlan\nmacvlan:\n"
        + "  master: [ens224]\n  ippools: {ipv4: [cluster-a]}\ncoordinator:\n  hijackCIDR: [10.243.0.0/18, 172.111.0.0/16]")));
    JsonNode spec = m.path("spec");
    assertThat(spec.path("macvlan").path("vlanID").asInt()).isZero();
    assertThat(spec.path("macvlan").path("mtu").asInt()).isZero();
    assertThat(spec.path("macvlan").path("rdmaResourceName").asString()).isEmpty();
    assertThat(spec.path("macvlan").path("ippools").path("ipv6").isArray()).isTrue();
    assertThat(spec.path("coordinator").path("mode").asString()).isEqualTo("auto");
    assertThat(spec.path("coordinator").path("tunePodRoutes").asBoolean()).as("a written coordinator's nil tunePodRoutes is false")
        .isFalse();
    assertThat(spec.path("coordinator").path("hijackCIDR").size()).isEqualTo(2);
    assertThat(spec.path("chainCNIJsonData").isArray()).isTrue();
    assertThat(create("", "cniType: macvlan\nmacvlan: {master: [ens224], ippools: {ipv4: [cluster-a]}}\ncoordinator: "
        + "{hijackCIDR: [10.243.0.0/18]}").allowed()).isTrue();
  }

  @Test
  void customHasNoCoordinatorAndCopiesInjectionAnnotationsToLabels() {
    JsonNode m = Reviews.mutated(webhook, Reviews.create(Kind.SPIDER_MULTUS_CONFIG, smc("{cni.spidernet.io/network-resource-inject: "
        + "gpu}", "coordinator: {mode: auto}")));
    assertThat(m.path("spec").path("cniType").asString()).isEqualTo("custom");
    assertThat(m.path("spec").has("coordinator")).isFalse();
    assertThat(m.path("spec").path("enableCoordinator").asBoolean()).isFalse();
    assertThat(m.path("spec").path("customCNI").asString()).isEmpty();
    assertThat(m.path("metadata").path("labels").path("cni.spidernet.io/network-resource-inject").asString()).isEqualTo("gpu");
    JsonNode absent = Reviews.mutated(webhook, Reviews.create(Kind.SPIDER_MULTUS_CONFIG, smc("", "cniType: ipvlan\n"
        + "ipvlan: {master: [eth1]}")));
    assertThat(absent.path("spec").path("coordinator").path("tunePodRoutes").asBoolean()).isTrue();
    JsonNode vlan = Reviews.mutated(webhook, Reviews.create(Kind.SPIDER_MULTUS_CONFIG, smc("", "cniType: vlan\nvlan: {master: [eth1]}")));
    assertThat(vlan.path("spec").path("vlan").path("vlanMode").asString()).isEqualTo("manual");
    assertThat(vlan.path("spec").path("vlan").path("vlanID").asInt()).isZero();
    JsonNode ib = Reviews.mutated(webhook, Reviews.create(Kind.SPIDER_MULTUS_CONFIG, smc("", "cniType: ib-sriov\n"
        + "ibsriov: {resourceName: r}")));
    assertThat(ib.path("spec").path("ibsriov").path("linkState").asString()).isEqualTo("enable");
    assertThat(ib.path("spec").path("ibsriov").path("rdmaIsolation").asBoolean()).isTrue();
  }

  static Stream<Arguments> rules() {
    return Stream.of(
        Arguments.of("", "cniType: macvlan", "spec.macvlan: Required value: no spec.macvlan specified"),
        Arguments.of("", "cniType: macvlan\nmacvlan: {master: [eth0]}\nipvlan: {master: [eth1]}",
            "spec.cniType: Forbidden: the cniType macvlan only supports spec.macvlan, please remove other CNI configs"),
        Arguments.of("", "cniType: macvlan\nmacvlan: {master: [eth0], vlanID: 4095}", "spec.macvlan.vlanID"),
        Arguments.of("", "cniType: macvlan\nmacvlan: {master: []}", "spec.macvlan.master: Invalid value: []: master can't be empty"),
        Arguments.of("", "cniType: ipvlan\nipvlan: {master: [eth0, eth1]}", "the bond property is nil with multiple Interfaces"),
        Arguments.of("", "cniType: ipvlan\nipvlan: {master: [eth0, eth1], bond: {name: '', mode: 1}}", "bond name can't be empty"),
        Arguments.of("", "cniType: ipvlan\nipvlan: {master: [eth0, eth1], bond: {name: bond0, mode: 1}}", null),
        Arguments.of("", "cniType: macvlan\nmacvlan: {master: [eth0], ippools: {matchMasterSubnet: true}}",
            "spec.macvlan.ippools.matchMasterSubnet: Forbidden"),
        Arguments.of("", "cniType: vlan\nvlan: {master: [eth0], vlanMode: auto, vlanID: 5}",
            "vlanId must not be specified when vlanMode is auto"),
        Arguments.of("", "cniType: sriov\nsriov: {resourceName: r, minTxRateMbps: 100, maxTxRateMbps: 10}",
            "minTxRateMbps must be less than maxTxRateMbps"),
        Arguments.of("", "cniType: sriov\nsriov: {vlanID: 1}", "spec.sriov.resourceName: Required value"),
        Arguments.of("", "cniType: ib-sriov\nibsriov: {pkey: '0x1'}", "spec.ibsriov.resourceName: Required value"),
        Arguments.of("", "cniType: ipoib\nipoib: {}", "spec.ipoib.master: Required value"),
        Arguments.of("", "cniType: ovs\novs: {bridge: br0, trunk: [{minID: 10, maxID: 5}]}",
            "minID is greater than maxID in trunk parameter"),
        Arguments.of("", "cniType: custom\ncustomCNI: '{not json'", "spec.customCNI: Forbidden: customCniConfig isn't a valid JSON"),
        Arguments.of("{multus.spidernet.io/cr-name: Bad_Name}", "cniType: macvlan\nmacvlan: {master: [eth0]}",
            "metadata.annotations[multus.spidernet.io/cr-name]: Invalid value: \"Bad_Name\""),
        Arguments.of("{multus.spidernet.io/cni-version: 0.2.0}", "cniType: macvlan\nmacvlan: {master: [eth0]}",
            "unsupported CNI version 0.2.0"),
        Arguments.of("{cni.spidernet.io/rdma-resource-inject: roce}", "cniType: macvlan\nmacvlan: {master: [eth0]}",
            "RDMA resource injection needs the resource name"),
        Arguments.of("{cni.spidernet.io/rdma-resource-inject: roce}", "cniType: macvlan\nmacvlan: {master: [eth0], "
            + "rdmaResourceName: r}", "needs at least one IPPool"),
        Arguments.of("{cni.spidernet.io/network-resource-inject: n}", "cniType: ovs\novs: {bridge: br0}",
            "the cniType ovs does not support resource injection"),
        Arguments.of("", "cniType: macvlan\nmacvlan: {master: [eth0]}\ncoordinator: {podMACPrefix: '01:00'}",
            "spec.coordinator.podMACPrefix: Invalid value: \"01:00\": not a unicast MAC"),
        Arguments.of("", "cniType: macvlan\nmacvlan: {master: [eth0]}\nchainCNIJsonData: ['{\"name\":\"x\"}']",
            "spec.chainCNIJsonData[0]: Invalid value: \"{\\\"name\\\":\\\"x\\\"}\": not a valid CNI network configuration: missing 'type'"),
        Arguments.of("", "cniType: macvlan\nmacvlan: {master: [eth0]}\nchainCNIJsonData: ['{\"type\":\"tuning\"}']", null));
  }

  @ParameterizedTest(name = "{1} {0}")
  @MethodSource("rules")
  void rule(String annotations, String spec, String refusal) {
    Verdict v = create(annotations, spec);
    if (refusal == null) {
      assertThat(v.allowed()).as(() -> v.refusal().message()).isTrue();
    } else {
      assertThat(v.allowed()).isFalse();
      assertThat(v.refusal().message()).startsWith("SpiderMultusConfig.spiderpool.spidernet.io \"macvlan-conf\" is invalid: ")
          .contains(refusal);
    }
  }

  @Test
  void aNadOfAnotherMultusConfigIsNotTakenOver() {
    view.nads.add(Reviews.read(Reviews.tree("metadata: {name: shared, namespace: kube-system, ownerReferences: [{apiVersion: "
        + "spiderpool.spidernet.io/v2beta1, kind: SpiderMultusConfig, name: other, uid: u, controller: true}]}"),
        NetworkAttachmentDefinition.class));
    Verdict v = create("{multus.spidernet.io/cr-name: shared}", "cniType: macvlan\nmacvlan: {master: [eth0]}");
    assertThat(v.refusal().message()).contains("the NetworkAttachmentDefinition kube-system/shared already exists and is managed by "
        + "SpiderMultusConfig kube-system/other");
    view.nads.add(Reviews.read(Reviews.tree("metadata: {name: unowned, namespace: kube-system}"), NetworkAttachmentDefinition.class));
    assertThat(create("{multus.spidernet.io/cr-name: unowned}", "cniType: macvlan\nmacvlan: {master: [eth0]}").allowed()).isTrue();
  }

  @Test
  void theNadNameCannotChange() {
    String before = smc("{multus.spidernet.io/cr-name: a}", "cniType: macvlan\nmacvlan: {master: [eth0]}");
    String after = smc("{multus.spidernet.io/cr-name: b}", "cniType: macvlan\nmacvlan: {master: [eth0]}");
    assertThat(webhook.validate(Reviews.update(Kind.SPIDER_MULTUS_CONFIG, before, after)).refusal().message())
        .contains("it's unsupported to change customized Multus net-attach-def resource name from 'a' to 'b'");
    String plain = smc("", "cniType: macvlan\nmacvlan: {master: [eth0]}");
    assertThat(webhook.validate(Reviews.update(Kind.SPIDER_MULTUS_CONFIG, plain, after)).refusal().message())
        .contains("it's unsupported to changed Multus net-attach-def 'macvlan-conf' to customized name 'b'");
  }
}
