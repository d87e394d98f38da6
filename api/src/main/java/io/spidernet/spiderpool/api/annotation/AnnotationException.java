package io.spidernet.spiderpool.api.annotation;

/** An annotation value that cannot be used; the message names the annotation, value and problem. */
public class AnnotationException extends IllegalArgumentException {
  private static final int MAX_VALUE_CHARS = 256;

  private final String annotation;

  public AnnotationException(String annotation, String value, String problem) {
    super("invalid annotation " + annotation + "=" + quote(value) + ": " + problem);
    this.annotation = annotation;
  }

  public String annotation() {
    return annotation;
  }

  private static String quote(String value) {
    if (value == null) {
      return "null";
    }
    String compact = value.strip().replaceAll("\\s+", " ");
    if (compact.length() > MAX_VALUE_CHARS) {
      compact = compact.substring(0, MAX_VALUE_CHARS) + "...";
    }
    return "'" + compact + "'";
  }
}
