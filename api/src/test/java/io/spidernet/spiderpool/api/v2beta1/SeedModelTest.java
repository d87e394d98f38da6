package io.spidernet.spiderpool.api.v2beta1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.spidernet.spiderpool.api.Constants;
import io.spidernet.spiderpool.api.crd.ChartCrds;
import io.spidernet.spiderpool.testsupport.SeedDocument;
import io.spidernet.spiderpool.testsupport.SeedDocuments;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The YAML the seed documents apply deserialises into our model and comes back unchanged. */
class SeedModelTest {
  private static final KubernetesSerialization K8S = new KubernetesSerialization();
  private static final JsonMapper JSON = new JsonMapper();
  /** Seed 004 writes {@code name:} at the indentation of {@code metadata:}; see the test below. */
  private static final String MISINDENTED = "004_25d80e998559e397.txt";

  static Stream<SeedDocument> spiderpoolObjects() {
    return SeedDocuments.ofGroup(Constants.GROUP).stream().filter(d -> !d.seed().equals(MISINDENTED));
  }

  @Test
  void findsEverySpiderpoolObjectTheSeedsApply() {
    assertThat(SeedDocuments.ofGroup(Constants.GROUP))
        .extracting(d -> d.seed().substring(0, 3) + " " + d.kind() + " " + d.name())
        .containsExactly(
            "000 SpiderMultusConfig macvlan-conf",
            "000 SpiderIPPool test-ippool-6",
            "000 SpiderIPPool test-ippool-7",
            "002 SpiderIPPool test-ippool-6",
            "002 SpiderIPPool test-ippool-7",
            "003 SpiderIPPool cluster-a",
            "003 SpiderIPPool cluster-b",
            "003 SpiderMultusConfig macvlan-conf",
            "003 SpiderMultusConfig macvlan-conf",
            "004 SpiderSubnet ");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("spiderpoolObjects")
  void roundTripsWithoutLoss(SeedDocument doc) {
    HasMetadata object = K8S.unmarshal(doc.yaml(), modelClass(doc.kind()));
    assertThat(object).isInstanceOf(modelClass(doc.kind()));
    JsonNode back = JSON.readTree(K8S.asJson(object));
    assertThat(back).as(doc.where()).isEqualTo(doc.tree());
  }

  @Test
  void readsTheCrossZonePoolsTyped() {
    SpiderIPPool pool = K8S.unmarshal(seed("000", "test-ippool-6").yaml(), SpiderIPPool.class);
    assertThat(pool.getSpec().subnet).isEqualTo("10.6.0.0/16");
    assertThat(pool.getSpec().ips).containsExactly("10.6.168.60-10.6.168.69");
    assertThat(pool.getSpec().gateway).isEqualTo("10.6.0.1");
    assertThat(pool.getSpec().nodeName).containsExactly("controller-node-1");
    assertThat(pool.getSpec().ipVersion).as("seed 000 leaves ipVersion to be inferred").isNull();

    SpiderIPPool affinity = K8S.unmarshal(seed("002", "test-ippool-7").yaml(), SpiderIPPool.class);
    assertThat(affinity.getSpec().nodeAffinity.getMatchExpressions().get(0).getKey()).isEqualTo("node-subnet");
    assertThat(affinity.getSpec().nodeAffinity.getMatchExpressions().get(0).getValues()).containsExactly("subnet-7");

    SpiderIPPool clusterDefault = K8S.unmarshal(seed("003", "cluster-a").yaml(), SpiderIPPool.class);
    assertThat(clusterDefault.getSpec().defaultPool).isTrue();

    SpiderMultusConfig smc = K8S.unmarshal(seed("003", "macvlan-conf").yaml(), SpiderMultusConfig.class);
    assertThat(smc.getMetadata().getNamespace()).isEqualTo("kube-system");
    assertThat(smc.getSpec().cniType).isEqualTo("macvlan");
    assertThat(smc.getSpec().macvlan.master).containsExactly("ens224");
    assertThat(smc.getSpec().macvlan.ippools.ipv4).containsExactly("cluster-a");
    assertThat(smc.getSpec().coordinator.hijackCIDR).containsExactly("10.243.0.0/18", "172.111.0.0/16");
  }

  @Test
  void seed004SubnetIsMisindentedInTheDocumentAndRoundTripsOnceRepaired() {
    SeedDocument doc = SeedDocuments.ofGroup(Constants.GROUP).stream()
        .filter(d -> d.seed().equals(MISINDENTED)).findFirst().orElseThrow();
    // As written, name is a top-level key and metadata is empty: kubectl would refuse it for lack
    // of a name. Should the seed be fixed, this assertion fails and the exception can go.
    assertThat(doc.tree().path("name").asString()).isEqualTo("subnet-test");
    assertThat(doc.tree().path("metadata").isNull()).isTrue();

    ObjectNode repaired = (ObjectNode) doc.tree().deepCopy();
    repaired.remove("name");
    repaired.putObject("metadata").put("name", "subnet-test");
    SpiderSubnet subnet = K8S.unmarshal(repaired.toString(), SpiderSubnet.class);
    assertThat(subnet.getSpec().subnet).isEqualTo("172.18.0.0/16");
    assertThat(subnet.getSpec().ips).containsExactly("172.18.30.131-172.18.30.140");
    assertThat(JSON.readTree(K8S.asJson(subnet))).isEqualTo(repaired);
  }

  private static SeedDocument seed(String prefix, String name) {
    return SeedDocuments.ofGroup(Constants.GROUP).stream()
        .filter(d -> d.seed().startsWith(prefix) && d.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  @SuppressWarnings("unchecked")
  private static Class<? extends HasMetadata> modelClass(String kind) {
    for (Class<? extends CustomResource<?, ?>> c : ChartCrds.KINDS) {
      if (HasMetadata.getKind(c).equals(kind)) {
        return (Class<? extends HasMetadata>) (Class<?>) c;
      }
    }
    throw new AssertionError("no model class for kind " + kind + " among " + List.copyOf(ChartCrds.KINDS));
  }
}
