package io.spidernet.spiderpool.it.crds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.api.v2beta1.SpiderMultusConfig;
import io.spidernet.spiderpool.it.Fixtures;
import io.spidernet.spiderpool.testsupport.kube.KubeCluster;
import io.spidernet.spiderpool.testsupport.kube.TestNamespace;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The generated CRDs install, and the API server enforces their schema the way Spiderpool's does. */
@ExtendWith(KubeCluster.class)
class CrdSchemaIT {
  @Test
  void everyKindIsServedUnderItsShortNameAndCategory(KubernetesClient client) {
    var resources = client.getApiResources("spiderpool.spidernet.io/v2beta1").getResources();
    assertThat(resources).extracting(r -> r.getName() + ":" + r.getShortNames() + ":" + r.getNamespaced())
        .contains(
            "spiderippools:[sp]:false", "spidersubnets:[ss]:false", "spiderreservedips:[sr]:false",
            "spiderendpoints:[se]:true", "spidermultusconfigs:[smc]:true", "spidercoordinators:[scc]:false",
            "spiderippools/status:[]:false", "spidersubnets/status:[]:false", "spidercoordinators/status:[]:false");
    assertThat(resources).extracting(r -> r.getName()).doesNotContain("spiderendpoints/status");
    assertThat(resources).filteredOn(r -> !r.getName().contains("/"))
        .allSatisfy(r -> assertThat(r.getCategories()).containsExactly("spiderpool"));
  }

  @Test
  void refusesAPoolWithoutSubnetOrWithAnUnknownIPVersion(KubernetesClient client, TestNamespace ns) {
    SpiderIPPool noSubnet = pool(ns.unique("no-subnet"), null, null);
    assertThatThrownBy(() -> client.resource(noSubnet).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("spec.subnet: Required value");
    SpiderIPPool badVersion = pool(ns.unique("v5"), "10.0.0.0/24", 5L);
    assertThatThrownBy(() -> client.resource(badVersion).create())
        .hasMessageContaining("spec.ipVersion: Unsupported value: 5");
  }

  @Test
  void prunesFieldsTheSchemaDoesNotKnow(KubernetesClient client, TestNamespace ns) {
    // Older Spiderpool docs show spec.vlan; v2beta1 has no such field and the server drops it.
    String name = ns.unique("old-vlan");
    GenericKubernetesResource old = new GenericKubernetesResource();
    old.setApiVersion("spiderpool.spidernet.io/v2beta1");
    old.setKind("SpiderIPPool");
    old.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).build());
    old.setAdditionalProperty("spec", Map.of("subnet", "10.9.0.0/24", "vlan", 0, "ips", List.of("10.9.0.10")));
    client.resource(old).create();
    try {
      GenericKubernetesResource stored = client.genericKubernetesResources("spiderpool.spidernet.io/v2beta1", "SpiderIPPool")
          .withName(name).get();
      @SuppressWarnings("unchecked")
      Map<String, Object> spec = (Map<String, Object>) stored.getAdditionalProperties().get("spec");
      assertThat(spec).containsEntry("subnet", "10.9.0.0/24").doesNotContainKey("vlan");
    } finally {
      client.resource(old).delete();
    }
  }

  @Test
  void defaultsAMultusConfigLikeSpiderpool(KubernetesClient client, TestNamespace ns) {
    SpiderMultusConfig smc = new SpiderMultusConfig();
    smc.getMetadata().setName("defaults");
    smc.getMetadata().setNamespace(ns.name());
    smc.setSpec(new io.spidernet.spiderpool.api.v2beta1.MultusCNIConfigSpec());
    SpiderMultusConfig stored = client.resource(smc).create();
    assertThat(stored.getSpec().cniType).isEqualTo("custom");
    assertThat(stored.getSpec().enableCoordinator).isTrue();
    assertThat(stored.getSpec().disableIPAM).isFalse();
  }

  static SpiderIPPool pool(String name, String subnet, Long ipVersion) {
    SpiderIPPool pool = Fixtures.pool(name, subnet);
    pool.getSpec().ipVersion = ipVersion;
    return pool;
  }
}
