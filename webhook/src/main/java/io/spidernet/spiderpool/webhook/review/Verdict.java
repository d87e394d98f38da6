package io.spidernet.spiderpool.webhook.review;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A webhook's answer to one review: allowed (with the JSON Patch of a mutation, possibly empty) or
 * refused.
 *
 * @param refusal null when allowed
 * @param patch the JSON Patch array of a mutation, or null
 * @param warnings shown by kubectl beside the answer
 */
public record Verdict(Refusal refusal, JsonNode patch, List<String> warnings) {
  public static final Verdict ALLOWED = new Verdict(null, null, List.of());

  public static Verdict refused(Refusal refusal) {
    return new Verdict(refusal, null, List.of());
  }

  public static Verdict patched(JsonNode patch) {
    return new Verdict(null, patch == null || patch.isEmpty() ? null : patch, List.of());
  }

  public boolean allowed() {
    return refusal == null;
  }
}
