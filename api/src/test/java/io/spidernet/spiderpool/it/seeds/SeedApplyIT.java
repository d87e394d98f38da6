package io.spidernet.spiderpool.it.seeds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.spidernet.spiderpool.testsupport.SeedDocument;
import io.spidernet.spiderpool.testsupport.SeedDocuments;
import io.spidernet.spiderpool.testsupport.kube.KubeCluster;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Every object the seed documents apply (our CRDs and the Multus NAD) is accepted by a real API server as written. */
@ExtendWith(KubeCluster.class)
class SeedApplyIT {
  private static final JsonMapper JSON = new JsonMapper();
  private static final String MISINDENTED = "004_25d80e998559e397.txt";

  static Stream<SeedDocument> ourObjects() {
    return SeedDocuments.all().stream()
        .filter(d -> d.apiVersion().startsWith("spiderpool.spidernet.io/") || d.apiVersion().startsWith("k8s.cni.cncf.io/"))
        .filter(d -> !(d.seed().equals(MISINDENTED) && d.kind().equals("SpiderSubnet")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ourObjects")
  void appliesUnchanged(SeedDocument doc, KubernetesClient client) {
    HasMetadata applied = client.resource(doc.yaml()).fieldManager("seed-reader").forceConflicts().serverSideApply();
    try {
      var resources = client.genericKubernetesResources(doc.apiVersion(), doc.kind());
      String namespace = applied.getMetadata().getNamespace();
      GenericKubernetesResource stored = namespace == null
          ? resources.withName(doc.name()).get()
          : resources.inNamespace(namespace).withName(doc.name()).get();
      JsonNode storedTree = JSON.valueToTree(stored);
      assertWritten(doc.tree().path("spec"), storedTree.path("spec"), doc.where() + " spec");
      if (doc.kind().equals("SpiderIPPool")) {
        for (String flag : new String[] {"default", "disable"}) {
          if (!doc.tree().path("spec").has(flag)) {
            assertThat(storedTree.path("spec").path(flag).isBoolean()).as("CRD defaults spec." + flag).isTrue();
            assertThat(storedTree.path("spec").path(flag).asBoolean()).as("CRD default of spec." + flag).isFalse();
          }
        }
      }
    } finally {
      client.resource(applied).delete();
    }
  }

  @Test
  void seed004SubnetIsRefusedForLackOfAName(KubernetesClient client) {
    SeedDocument subnet = SeedDocuments.all().stream()
        .filter(d -> d.seed().equals(MISINDENTED) && d.kind().equals("SpiderSubnet"))
        .findFirst().orElseThrow();
    // The document indents "name:" like "metadata:"; the real API server refuses what kubectl would send.
    assertThatThrownBy(() -> client.resource(subnet.yaml()).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("name");
  }

  /** Everything the user wrote is stored as written; the server may add defaults beside it. */
  private static void assertWritten(JsonNode written, JsonNode stored, String where) {
    if (written.isObject()) {
      assertThat(stored.isObject()).as(where + " is an object").isTrue();
      for (Iterator<Map.Entry<String, JsonNode>> it = written.properties().iterator(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        assertThat(stored.has(field.getKey())).as(where + "." + field.getKey() + " was pruned").isTrue();
        assertWritten(field.getValue(), stored.get(field.getKey()), where + "." + field.getKey());
      }
    } else {
      assertThat(stored).as(where).isEqualTo(written);
    }
  }
}
