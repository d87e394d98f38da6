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
}
