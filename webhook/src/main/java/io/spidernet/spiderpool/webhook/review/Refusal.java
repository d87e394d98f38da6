package io.spidernet.spiderpool.webhook.review;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Why an object is refused, as the {@code status} of an AdmissionResponse: the HTTP-like code, the
 * Kubernetes reason and a message that names the object, the field and the value.
 *
 * @param code 422 Invalid, 403 Forbidden, 409 AlreadyExists, 400 BadRequest, 500 InternalError
 * @param reason the {@code metav1.StatusReason}
 * @param message what {@code kubectl} shows after "denied the request:"
 * @param causes the field errors, if any
 */
public record Refusal(int code, String reason, String message, List<FieldError> causes) {
  /** {@code SpiderIPPool.spiderpool.spidernet.io "p" is invalid: spec.subnet: Invalid value: ...}. */
  public static Refusal invalid(Kind kind, String name, List<FieldError> errors) {
    String list = errors.size() == 1 ? errors.get(0).message()
        : errors.stream().map(FieldError::message).collect(Collectors.joining(", ", "[", "]"));
    return new Refusal(422, "Invalid", kind.qualifiedKind() + " " + FieldError.quote(name) + " is invalid: " + list,
        List.copyOf(errors));
  }

  public static Refusal invalid(Kind kind, String name, FieldError error) {
    return invalid(kind, name, List.of(error));
  }

  /** {@code spiderippools.spiderpool.spidernet.io "p" is forbidden: detail}. */
  public static Refusal forbidden(Kind kind, String name, String detail) {
    return new Refusal(403, "Forbidden", kind.qualifiedResource() + " " + FieldError.quote(name) + " is forbidden: " + detail,
        List.of());
  }

  public static Refusal alreadyExists(Kind kind, String name) {
    return new Refusal(409, "AlreadyExists", kind.qualifiedResource() + " " + FieldError.quote(name) + " already exists",
        List.of());
  }

  public static Refusal badRequest(String message) {
    return new Refusal(400, "BadRequest", message, List.of());
  }

  public static Refusal internal(String message) {
    return new Refusal(500, "InternalError", message, List.of());
  }
}
