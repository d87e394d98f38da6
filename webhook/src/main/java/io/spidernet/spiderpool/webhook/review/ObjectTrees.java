package io.spidernet.spiderpool.webhook.review;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.zjsonpatch.JsonDiff;
import io.spidernet.spiderpool.common.json.BodyProblems;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Between a review's JSON trees and our typed objects: reading an object as its kind, and the JSON
 * Patch that turns what the API server sent into the mutated object. The patch only ever touches
 * {@code spec} and the metadata a webhook may set (labels, annotations, finalizers, owner
 * references), so fields our model does not know are never removed. Any thread.
 */
public final class ObjectTrees {
  private static final JsonMapper TREES = JsonMapper.builder().build();
  private static final List<String> MUTABLE_METADATA = List.of("labels", "annotations", "finalizers", "ownerReferences");

  private final KubernetesSerialization serialization;

  public ObjectTrees(KubernetesSerialization serialization) {
    this.serialization = serialization;
  }

  /** A tree that cannot be read as the kind (a field of the wrong type). */
  public static final class Unreadable extends Exception {
    Unreadable(String message) {
      super(message, null, false, false);
    }
  }

  public <T> T read(JsonNode tree, Class<T> type) throws Unreadable {
    try {
      return serialization.convertValue(tree, type);
    } catch (RuntimeException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof JacksonException j) {
          throw new Unreadable(BodyProblems.describe(j));
        }
      }
      throw new Unreadable(e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  /** The JSON Patch from {@code original} to {@code mutated} (an empty array when nothing changed). */
  public JsonNode patch(JsonNode original, HasMetadata mutated) {
    JsonNode typed = TREES.readTree(serialization.asJson(mutated));
    ObjectNode target = (ObjectNode) original.deepCopy();
    if (typed.has("spec")) {
      target.set("spec", typed.get("spec"));
    } else {
      target.remove("spec");
    }
    ObjectNode metadata = target.has("metadata") && target.get("metadata").isObject()
        ? (ObjectNode) target.get("metadata") : target.putObject("metadata");
    for (String field : MUTABLE_METADATA) {
      JsonNode value = typed.path("metadata").get(field);
      if (value == null || value.isNull() || value.isEmpty()) {
        if (metadata.has(field) && !metadata.get(field).isEmpty()) {
          metadata.remove(field);
        }
      } else {
        metadata.set(field, value);
      }
    }
    return JsonDiff.asJson(original, target);
  }
}
