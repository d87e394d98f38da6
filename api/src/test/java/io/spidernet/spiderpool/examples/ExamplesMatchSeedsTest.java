package io.spidernet.spiderpool.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.spidernet.spiderpool.testsupport.SeedDocument;
import io.spidernet.spiderpool.testsupport.SeedDocuments;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The examples the quickstart applies are the seed documents' YAML, unchanged. */
class ExamplesMatchSeedsTest {
  @Test
  void crossZonePoolsAreSeed000s() throws IOException {
    Path file = Path.of(System.getProperty("spiderpool.root.dir", "..")).resolve("examples/cross-zone/ippools.yaml");
    YAMLMapper yaml = new YAMLMapper();
    List<JsonNode> example;
    try (MappingIterator<JsonNode> docs = yaml.readerFor(JsonNode.class).readValues(file.toFile())) {
      example = docs.readAll();
    }
    List<JsonNode> seed = SeedDocuments.all().stream()
        .filter(d -> d.seed().startsWith("000") && d.kind().equals("SpiderIPPool"))
        .map(SeedDocument::tree)
        .toList();
    assertThat(seed).hasSize(2);
    assertThat(example).containsExactlyElementsOf(seed);
  }

  @Test
  void crossZoneDaemonSetIsSeed000s() throws IOException {
    Path file = Path.of(System.getProperty("spiderpool.root.dir", "..")).resolve("examples/cross-zone/daemonset.yaml");
    JsonNode example = new YAMLMapper().readTree(file.toFile());
    JsonNode seed = SeedDocuments.all().stream()
        .filter(d -> d.seed().startsWith("000") && d.kind().equals("DaemonSet"))
        .map(SeedDocument::tree).findFirst().orElseThrow();
    assertThat(example).isEqualTo(seed);
  }

  private static JsonNode example(String path) throws IOException {
    return new YAMLMapper().readTree(Path.of(System.getProperty("spiderpool.root.dir", "..")).resolve(path).toFile());
  }

  private static List<JsonNode> examples(String path) throws IOException {
    Path file = Path.of(System.getProperty("spiderpool.root.dir", "..")).resolve(path);
    try (MappingIterator<JsonNode> docs = new YAMLMapper().readerFor(JsonNode.class).readValues(file.toFile())) {
      return docs.readAll().stream().filter(d -> !d.isNull() && !d.isMissingNode()).toList();
    }
  }

  private static JsonNode seed(String prefix, String kind) {
    return SeedDocuments.all().stream().filter(d -> d.seed().startsWith(prefix) && d.kind().equals(kind))
        .map(SeedDocument::tree).findFirst().orElseThrow();
  }

  @Test
  void subnetAutoPoolSubnetIsSeed004sWithItsNameUnderMetadata() throws IOException {
    ObjectNode seed = (ObjectNode) seed("004", "SpiderSubnet").deepCopy();
    seed.putObject("metadata").set("name", seed.remove("name"));
    assertThat(example("examples/subnet-auto-pool/subnet.yaml")).isEqualTo(seed);
  }

  @Test
  void subnetAutoPoolDeploymentIsSeed004sNamingTheSubnetInTheSubnetAnnotation() throws IOException {
    ObjectNode seed = (ObjectNode) seed("004", "Deployment").deepCopy();
    ObjectNode annotations = (ObjectNode) seed.path("spec").path("template").path("metadata").path("annotations");
    JsonNode subnet = annotations.remove("ipam.spidernet.io/ippool");
    assertThat(subnet.asString()).contains("\"subnet-test\"");
    annotations.set("ipam.spidernet.io/subnet", subnet);
    ObjectNode example = (ObjectNode) example("examples/subnet-auto-pool/deployment.yaml");
    assertThat(example).isEqualTo(seed);
  }

  @Test
  void subnetZonesPoolsAreSeed002s() throws IOException {
    List<JsonNode> seed = SeedDocuments.all().stream().filter(d -> d.seed().startsWith("002") && d.kind().equals("SpiderIPPool"))
        .map(SeedDocument::tree).toList();
    assertThat(seed).hasSize(2);
    assertThat(examples("examples/subnet-zones/ippools.yaml")).containsExactlyElementsOf(seed);
  }

  @Test
  void subnetZonesDaemonSetIsSeed002sNamingTheZonesPools() throws IOException {
    ObjectNode seed = (ObjectNode) seed("002", "DaemonSet").deepCopy();
    ObjectNode annotations = (ObjectNode) seed.path("spec").path("template").path("metadata").path("annotations");
    assertThat(annotations.remove("ipam.spidernet.io/subnet").asString()).contains("\"default-v4-subnet\"");
    JsonNode example = example("examples/subnet-zones/daemonset.yaml");
    JsonNode pools = example.path("spec").path("template").path("metadata").path("annotations").path("ipam.spidernet.io/ippool");
    assertThat(pools.asString()).isEqualTo("{\n  \"ipv4\": [\"test-ippool-6\", \"test-ippool-7\"]\n}");
    annotations.set("ipam.spidernet.io/ippool", pools);
    assertThat(example).isEqualTo(seed);
  }
}
