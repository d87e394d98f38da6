package io.spidernet.spiderpool.webhook.review;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponseBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReviewBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.spidernet.spiderpool.common.json.BodyProblems;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * AdmissionReview v1 in and out, with fabric8's model. A body that is not a review, or a review
 * without a uid, cannot be answered as a review ({@link Unanswerable}, HTTP 400); a review with a
 * uid is always answered with that uid, refused when it is malformed. Any thread.
 */
public final class ReviewCodec {
  public static final String API_VERSION = "admission.k8s.io/v1";
  private static final JsonMapper TREES = JsonMapper.builder().build();

  private final KubernetesSerialization serialization;

  public ReviewCodec(KubernetesSerialization serialization) {
    this.serialization = serialization;
  }

  /** A body that cannot be answered as an AdmissionReview (no uid to echo). */
  public static final class Unanswerable extends Exception {
    Unanswerable(String message) {
      super(message, null, false, false);
    }
  }

  /** A review we can answer, with what is wrong with it when it cannot be admitted as sent. */
  public record Decoded(Review review, Refusal problem) {}

  /** Reads a review for {@code expected}; a problem of the review itself comes back as a refusal. */
  public Decoded decode(byte[] body, Kind expected) throws Unanswerable {
    JsonNode root;
    try {
      root = TREES.readTree(body);
    } catch (JacksonException e) {
      throw new Unanswerable("the body is not an AdmissionReview: " + BodyProblems.describe(e));
    } catch (RuntimeException e) {
      throw new Unanswerable("the body is not an AdmissionReview: " + e.getClass().getSimpleName());
    }
    if (root == null || !root.isObject()) {
      throw new Unanswerable("the body is not an AdmissionReview: expected a JSON object");
    }
    JsonNode requestNode = root.path("request");
    String uid = requestNode.path("uid").isString() ? requestNode.path("uid").asString() : "";
    if (uid.isEmpty()) {
      throw new Unanswerable("the AdmissionReview has no request.uid to answer");
    }
    Review bare = new Review(uid, expected, "", "", "", null, null, false);
    if (!API_VERSION.equals(root.path("apiVersion").asString("")) || !"AdmissionReview".equals(root.path("kind").asString(""))) {
      return new Decoded(bare, Refusal.badRequest("expected apiVersion " + API_VERSION + " kind AdmissionReview, got "
          + root.path("apiVersion").asString("(none)") + " " + root.path("kind").asString("(none)")));
    }
    ObjectNode header = ((ObjectNode) requestNode).deepCopy();
    JsonNode object = header.remove("object");
    JsonNode oldObject = header.remove("oldObject");
    AdmissionRequest request;
    try {
      request = serialization.convertValue(header, AdmissionRequest.class);
    } catch (RuntimeException e) {
      return new Decoded(bare, Refusal.badRequest("the AdmissionReview request cannot be read: " + describe(e)));
    }
    String operation = request.getOperation() == null ? "" : request.getOperation();
    String group = request.getKind() == null ? null : request.getKind().getGroup();
    String kind = request.getKind() == null ? null : request.getKind().getKind();
    String version = request.getKind() == null ? null : request.getKind().getVersion();
    JsonNode subject = object != null && !object.isNull() ? object : oldObject;
    String name = request.getName() != null && !request.getName().isEmpty() ? request.getName()
        : subject == null ? "" : subject.path("metadata").path("name").asString("");
    Review review = new Review(uid, expected, operation, name,
        request.getNamespace() == null ? "" : request.getNamespace(), nullIfMissing(object), nullIfMissing(oldObject),
        Boolean.TRUE.equals(request.getDryRun()));
    if (!expected.kind().equals(kind) || !expected.group().equals(group == null ? "" : group)) {
      return new Decoded(review, Refusal.badRequest("this webhook admits " + expected.qualifiedKind() + ", not "
          + (kind == null ? "(no kind)" : kind + (group == null || group.isEmpty() ? "" : "." + group))));
    }
    if (!expected.version().equals(version)) {
      return new Decoded(review, Refusal.badRequest("this webhook admits " + expected.qualifiedKind() + " "
          + expected.version() + ", not " + version));
    }
    if (!List.of("CREATE", "UPDATE", "DELETE", "CONNECT").contains(operation)) {
      return new Decoded(review, Refusal.badRequest("unknown operation " + FieldError.quote(operation)));
    }
    boolean needsObject = !operation.equals("DELETE") && !operation.equals("CONNECT");
    if (needsObject && (review.object() == null || !review.object().isObject())) {
      return new Decoded(review, Refusal.badRequest(operation + " of " + expected.kind() + " " + FieldError.quote(name)
          + " carries no object"));
    }
    if ((operation.equals("UPDATE") || operation.equals("DELETE"))
        && review.oldObject() != null && !review.oldObject().isObject()) {
      return new Decoded(review, Refusal.badRequest("oldObject of " + expected.kind() + " must be an object"));
    }
    return new Decoded(review, null);
  }

  /** The AdmissionReview answering {@code review} with {@code verdict}. */
  public byte[] encode(Review review, Verdict verdict) {
    AdmissionResponseBuilder response = new AdmissionResponseBuilder().withUid(review.uid()).withAllowed(verdict.allowed());
    if (!verdict.allowed()) {
      Refusal r = verdict.refusal();
      List<StatusCause> causes = r.causes().stream()
          .map(c -> new StatusCause(c.field(), c.body(), c.type().reason())).toList();
      StatusBuilder status = new StatusBuilder().withStatus("Failure").withCode(r.code()).withReason(r.reason())
          .withMessage(r.message());
      if (!causes.isEmpty() || !review.name().isEmpty()) {
        status.withNewDetails().withName(review.name()).withGroup(review.kind().group())
            .withKind(review.kind().kind()).withCauses(causes).endDetails();
      }
      response.withStatus(status.build());
    } else if (verdict.patch() != null) {
      response.withPatchType("JSONPatch")
          .withPatch(Base64.getEncoder().encodeToString(TREES.writeValueAsBytes(verdict.patch())));
    }
    if (!verdict.warnings().isEmpty()) {
      response.withWarnings(verdict.warnings());
    }
    AdmissionReview answer = new AdmissionReviewBuilder().withApiVersion(API_VERSION).withKind("AdmissionReview")
        .withResponse(response.build()).build();
    return serialization.asJson(answer).getBytes(StandardCharsets.UTF_8);
  }

  private static JsonNode nullIfMissing(JsonNode node) {
    return node == null || node.isNull() || node.isMissingNode() ? null : node;
  }

  private static String describe(RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof JacksonException j) {
        return BodyProblems.describe(j);
      }
    }
    return e.getClass().getSimpleName();
  }
}
