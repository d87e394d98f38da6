package io.spidernet.spiderpool.api.crd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Our generated CRDs against Spiderpool v1.2.1's published ones: same names, scope, status
 * subresource, printer columns (in order) and, for every schema path, the same type, enum, default,
 * required list, bounds and list/map semantics. Tolerated, by design:
 * <ul>
 *   <li>{@code format} on integers: fabric8's generator emits none; the API server treats every
 *       {@code integer} as int64, and our model bounds the int32 fields with min/max where upstream does;
 *   <li>descriptions, and {@code apiVersion}/{@code kind} properties, which the API server implies;
 *   <li>an empty {@code spec} or {@code status} object for a kind that has none (nothing can be stored in it).
 * </ul>
 */
class CrdCompatibilityTest {
  private static final YAMLMapper YAML = new YAMLMapper();
  /** Spiderpool v1.2.1's CRDs, copied into the test resources (see the README there). */
  private static final Path REFERENCE = Path.of("src/test/resources/spiderpool-v1.2.1");
  private static final Set<String> COMPARED =
      Set.of("type", "enum", "default", "required", "minimum", "maximum", "x-kubernetes-map-type",
          "x-kubernetes-list-type", "x-kubernetes-preserve-unknown-fields", "nullable");

  static Stream<String> referenceCrds() throws IOException {
    try (Stream<Path> files = Files.list(REFERENCE)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.contains("_") && n.endsWith(".yaml"))
          .sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("referenceCrds")
  void matchesSpiderpoolsPublishedCrd(String referenceFile) throws IOException {
    JsonNode reference = YAML.readTree(REFERENCE.resolve(referenceFile).toFile());
    String crdName = reference.path("metadata").path("name").asString();
    JsonNode ours = oursNamed(crdName);
    List<String> differences = new ArrayList<>();

    JsonNode rs = reference.path("spec");
    JsonNode os = ours.path("spec");
    for (String field : List.of("kind", "plural", "singular", "shortNames", "categories")) {
      same(differences, "names." + field, rs.path("names").path(field), os.path("names").path(field));
    }
    same(differences, "scope", rs.path("scope"), os.path("scope"));
    JsonNode rv = rs.path("versions").get(0);
    JsonNode ov = os.path("versions").get(0);
    same(differences, "version", rv.path("name"), ov.path("name"));
    same(differences, "status subresource", bool(rv.path("subresources").has("status")),
        bool(ov.path("subresources").has("status")));
    same(differences, "printer columns", columns(rv), columns(ov));

    Map<String, Map<String, String>> a = new TreeMap<>();
    Map<String, Map<String, String>> b = new TreeMap<>();
    flatten(rv.path("schema").path("openAPIV3Schema"), "", a);
    flatten(ov.path("schema").path("openAPIV3Schema"), "", b);
    Set<String> paths = new TreeSet<>(a.keySet());
    paths.addAll(b.keySet());
    for (String path : paths) {
      if (path.equals(".apiVersion") || path.equals(".kind") || path.equals(".metadata")) {
        continue;
      }
      if (!a.containsKey(path) && (path.equals(".spec") || path.equals(".status"))
          && b.get(path).equals(Map.of("type", "\"object\""))) {
        continue; // an empty section the kind does not use
      }
      if (!java.util.Objects.equals(a.get(path), b.get(path))) {
        differences.add(path + ": Spiderpool " + a.get(path) + ", ours " + b.get(path));
      }
    }
    assertThat(differences).as(crdName + " differs from " + referenceFile).isEmpty();
  }

  private static JsonNode oursNamed(String crdName) throws IOException {
    try (Stream<Path> files = Files.list(ChartCrdsDriftTest.chartCrds())) {
      for (Path file : files.toList()) {
        JsonNode crd = YAML.readTree(file.toFile());
        if (crd.path("metadata").path("name").asString().equals(crdName)) {
          return crd;
        }
      }
    }
    throw new AssertionError("the chart ships no CRD named " + crdName);
  }

  private static JsonNode bool(boolean b) {
    return JsonNodeFactory.instance.booleanNode(b);
  }

  private static void same(List<String> differences, String what, JsonNode spiderpool, JsonNode ours) {
    if (!spiderpool.equals(ours)) {
      differences.add(what + ": Spiderpool " + spiderpool + ", ours " + ours);
    }
  }

  private static JsonNode columns(JsonNode version) {
    var out = JsonNodeFactory.instance.arrayNode();
    for (JsonNode c : version.path("additionalPrinterColumns")) {
      out.addObject()
          .put("name", c.path("name").asString())
          .put("jsonPath", c.path("jsonPath").asString())
          .put("type", c.path("type").asString())
          .put("priority", c.path("priority").asInt(0))
          .put("description", c.path("description").asString(""));
    }
    return out;
  }

  private static void flatten(JsonNode schema, String path, Map<String, Map<String, String>> out) {
    Map<String, String> facts = new TreeMap<>();
    for (String key : COMPARED) {
      JsonNode value = schema.get(key);
      if (value == null) {
        continue;
      }
      if (value.isNumber()) {
        facts.put(key, value.decimalValue().stripTrailingZeros().toPlainString());
      } else if (key.equals("required")) {
        facts.put(key, new TreeSet<>(value.valueStream().map(JsonNode::asString).toList()).toString());
      } else {
        facts.put(key, value.toString());
      }
    }
    out.put(path, facts);
    schema.path("properties").properties().forEach(e -> flatten(e.getValue(), path + "." + e.getKey(), out));
    if (schema.has("items")) {
      flatten(schema.get("items"), path + "[]", out);
    }
    if (schema.path("additionalProperties").isObject()) {
      flatten(schema.get("additionalProperties"), path + "{}", out);
    }
  }
}
