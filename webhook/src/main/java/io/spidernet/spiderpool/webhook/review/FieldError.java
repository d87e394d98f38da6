package io.spidernet.spiderpool.webhook.review;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One reason an object is refused, worded as Kubernetes words its field errors
 * ({@code spec.subnet: Invalid value: "10.0.0.1/24": unformatted subnet ...}) so that messages read
 * as Spiderpool's do.
 *
 * @param type what kind of problem
 * @param field the field path, e.g. {@code spec.ips[1]}
 * @param value the offending value (rendered like Go's {@code %q} for strings), or {@link #NO_VALUE}
 * @param detail what is wrong and how to fix it
 */
public record FieldError(Type type, String field, Object value, String detail) {
  /** Marks errors whose rendering has no value part (Required, Forbidden, Internal). */
  public static final Object NO_VALUE = new Object();

  /** Kubernetes' field error types, with their wording and the {@code StatusCause} reason. */
  public enum Type {
    INVALID("Invalid value", "FieldValueInvalid"),
    NOT_SUPPORTED("Unsupported value", "FieldValueNotSupported"),
    REQUIRED("Required value", "FieldValueRequired"),
    FORBIDDEN("Forbidden", "FieldValueForbidden"),
    DUPLICATE("Duplicate value", "FieldValueDuplicate"),
    INTERNAL("Internal error", "InternalError");

    final String words;
    final String reason;

    Type(String words, String reason) {
      this.words = words;
      this.reason = reason;
    }

    public String reason() {
      return reason;
    }
  }

  public static FieldError invalid(String field, Object value, String detail) {
    return new FieldError(Type.INVALID, field, value, detail);
  }

  public static FieldError forbidden(String field, String detail) {
    return new FieldError(Type.FORBIDDEN, field, NO_VALUE, detail);
  }

  public static FieldError required(String field, String detail) {
    return new FieldError(Type.REQUIRED, field, NO_VALUE, detail);
  }

  public static FieldError internal(String field, String detail) {
    return new FieldError(Type.INTERNAL, field, NO_VALUE, detail);
  }

  public static FieldError duplicate(String field, Object value) {
    return new FieldError(Type.DUPLICATE, field, value, "");
  }

  public static FieldError notSupported(String field, Object value, List<String> supported) {
    return new FieldError(Type.NOT_SUPPORTED, field, value,
        "supported values: " + supported.stream().map(FieldError::quote).collect(Collectors.joining(", ")));
  }

  /** {@code field: Type: value: detail}, as Kubernetes prints it. */
  public String message() {
    return field + ": " + body();
  }

  /** {@code Type: value: detail}: the message without the field (a StatusCause carries the field beside it). */
  public String body() {
    StringBuilder s = new StringBuilder(type.words);
    if (value != NO_VALUE) {
      s.append(": ").append(render(value));
    }
    if (detail != null && !detail.isEmpty()) {
      s.append(": ").append(detail);
    }
    return s.toString();
  }

  private static String render(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof CharSequence text) {
      return quote(text.toString());
    }
    if (value instanceof Number || value instanceof Boolean) {
      return value.toString();
    }
    if (value instanceof List<?> list) {
      return list.stream().map(FieldError::render).collect(Collectors.joining(" ", "[", "]"));
    }
    return value.toString();
  }

  public static String quote(String text) {
    StringBuilder s = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> s.append("\\\"");
        case '\\' -> s.append("\\\\");
        case '\n' -> s.append("\\n");
        case '\t' -> s.append("\\t");
        case '\r' -> s.append("\\r");
        default -> {
          if (c < 0x20) {
            s.append(String.format("\\x%02x", (int) c));
          } else {
            s.append(c);
          }
        }
      }
    }
    return s.append('"').toString();
  }
}
