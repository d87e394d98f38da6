package io.spidernet.spiderpool.common.json;

import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * Why a JSON document could not be read, in the words of the document (a field and what it must
 * be, or where the syntax breaks), never Jackson's text with Java type names. Any thread.
 */
public final class BodyProblems {
  private BodyProblems() {}

  public static String describe(JacksonException e) {
    String field = e.getPath().stream()
        .map(r -> r.getPropertyName() != null ? r.getPropertyName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining(".")).replace(".[", "[");
    if (e instanceof MismatchedInputException m && m.getTargetType() != null && !field.isEmpty()) {
      return "field " + field + " must be " + kind(m.getTargetType());
    }
    if (!field.isEmpty()) {
      return "field " + field + " cannot be read";
    }
    var where = e.getLocation();
    return "it is not valid JSON" + (where == null || where.getLineNr() < 0 ? ""
        : " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")");
  }

  private static String kind(Class<?> type) {
    if (type == String.class || type == Character.class || type == char.class) {
      return "a string";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != void.class)) {
      return "a number";
    }
    if (type.isArray() || Collection.class.isAssignableFrom(type)) {
      return "a list";
    }
    return Map.class.isAssignableFrom(type) || !type.isEnum() ? "an object" : "one of the allowed values";
  }
}
