package io.spidernet.spiderpool.webhook.rules;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.zjsonpatch.JsonPatch;
import io.spidernet.spiderpool.webhook.review.Kind;
import io.spidernet.spiderpool.webhook.review.ObjectTrees;
import io.spidernet.spiderpool.webhook.review.Review;
import io.spidernet.spiderpool.webhook.review.Verdict;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Reviews built from YAML the way the API server sends them, and mutations applied as the API server applies their patch. */
final class Reviews {
  static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  static final ObjectTrees TREES = new ObjectTrees(SERIALIZATION);
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private Reviews() {}

  static JsonNode tree(String yaml) {
    return JSON.readTree(JSON.writeValueAsString(YAML.readTree(yaml)));
  }

  static Review create(Kind kind, String yaml) {
    JsonNode object = tree(yaml);
    return new Review("uid-1", kind, "CREATE", object.path("metadata").path("name").asString(""),
        object.path("metadata").path("namespace").asString(""), object, null, false);
  }

  static Review update(Kind kind, String oldYaml, String yaml) {
    JsonNode object = tree(yaml);
    return new Review("uid-1", kind, "UPDATE", object.path("metadata").path("name").asString(""),
        object.path("metadata").path("namespace").asString(""), object, tree(oldYaml), false);
  }

  static Review delete(Kind kind, String oldYaml) {
    JsonNode old = tree(oldYaml);
    return new Review("uid-1", kind, "DELETE", old.path("metadata").path("name").asString(""),
        old.path("metadata").path("namespace").asString(""), null, old, false);
  }

  /** The object after the mutation's patch, as the API server would store it. */
  static JsonNode mutated(KindWebhook webhook, Review review) {
    Verdict verdict = webhook.mutate(review);
    if (!verdict.allowed()) {
      throw new AssertionError("mutation refused: " + verdict.refusal().message());
    }
    return verdict.patch() == null ? review.object() : JsonPatch.apply(verdict.patch(), review.object());
  }

  /** The review of the mutated object, as the validating webhook receives it. */
  static Review afterMutation(KindWebhook webhook, Review review) {
    JsonNode object = mutated(webhook, review);
    return new Review(review.uid(), review.kind(), review.operation(), review.name(), review.namespace(), object,
        review.oldObject(), false);
  }

  static <T> T read(JsonNode tree, Class<T> type) {
    try {
      return TREES.read(tree, type);
    } catch (ObjectTrees.Unreadable e) {
      throw new AssertionError(e.getMessage());
    }
  }
}
