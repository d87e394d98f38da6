package io.spidernet.spiderpool.api.annotation;

import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Decodes JSON annotation values the way Go's encoding/json does for Spiderpool: field names match
 * case-insensitively and unknown fields are ignored, so any value upstream accepts parses here.
 */
final class AnnotationJson {
  private static final JsonMapper MAPPER =
      JsonMapper.builder()
          .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private AnnotationJson() {}

  static <T> T decode(String annotation, String value, TypeReference<T> type, String expected) {
    if (value == null || value.isBlank()) {
      throw new AnnotationException(annotation, value, "empty value, expected " + expected);
    }
    try {
      T decoded = MAPPER.readValue(value, type);
      if (decoded == null) {
        throw new AnnotationException(annotation, value, "null, expected " + expected);
      }
      return decoded;
    } catch (JacksonException e) {
      throw new AnnotationException(annotation, value, "not " + expected + ": " + e.getOriginalMessage());
    }
  }
}
