package io.spidernet.spiderpool.webhook.review;

import tools.jackson.databind.JsonNode;

/**
 * One admission request, decoded: what is done ({@code operation}) to which object. The objects
 * stay JSON trees until a webhook reads them as its kind, so that a mutation is computed as a diff
 * of exactly what the API server sent.
 *
 * @param uid echoed in the answer
 * @param kind the kind named by {@code request.kind}
 * @param operation CREATE, UPDATE, DELETE or CONNECT
 * @param name the object's name (from the request, or the object when the request has none)
 * @param namespace the namespace, or empty
 * @param object the new object (null on DELETE)
 * @param oldObject the stored object (UPDATE and DELETE), or null
 * @param dryRun nothing will be stored (so nothing admitted is remembered)
 */
public record Review(String uid, Kind kind, String operation, String name, String namespace, JsonNode object,
    JsonNode oldObject, boolean dryRun) {
  public boolean isCreate() {
    return "CREATE".equals(operation);
  }

  public boolean isUpdate() {
    return "UPDATE".equals(operation);
  }

  public boolean isDelete() {
    return "DELETE".equals(operation);
  }
}
