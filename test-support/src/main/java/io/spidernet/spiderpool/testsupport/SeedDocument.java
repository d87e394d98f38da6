package io.spidernet.spiderpool.testsupport;

import tools.jackson.databind.JsonNode;

/**
 * One YAML object from a {@code kubectl apply/create} heredoc of a seed document.
 *
 * @param seed the seed file name
 * @param line the 1-based line of the object's first line in the seed
 * @param yaml the object's YAML text, dedented and with shell variables substituted
 * @param tree the parsed object
 */
public record SeedDocument(String seed, int line, String yaml, JsonNode tree) {
  public String apiVersion() {
    return tree.path("apiVersion").asString("");
  }

  public String kind() {
    return tree.path("kind").asString("");
  }

  public String name() {
    return tree.path("metadata").path("name").asString("");
  }

  public String where() {
    return seed + ":" + line + " " + kind() + " " + name();
  }
}
