package io.spidernet.spiderpool.api.codec;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON-in-a-string encoding Spiderpool uses for map-valued status fields: an object keyed by
 * name, written with sorted keys (as Go's encoding/json does), absent when empty.
 */
final class StatusJson {
  static final JsonMapper MAPPER =
      JsonMapper.builder()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .build();

  private StatusJson() {}

  /** Decodes {@code json} (null, empty and {@code "null"} mean no entries) into a sorted map. */
  static <V> SortedMap<String, V> decode(String json, Class<V> valueType, String where) {
    if (json == null || json.isBlank() || json.strip().equals("null")) {
      return new TreeMap<>();
    }
    JavaType type = MAPPER.getTypeFactory().constructMapType(TreeMap.class, String.class, valueType);
    try {
      TreeMap<String, V> map = MAPPER.readValue(json, type);
      return map == null ? new TreeMap<>() : map;
    } catch (JacksonException e) {
      throw new StatusCodecException(where + ": not a JSON object of " + valueType.getSimpleName()
          + " entries: " + e.getOriginalMessage(), e);
    }
  }

  /** Encodes with sorted keys; null when there is nothing to write (Spiderpool never writes "{}"). */
  static String encode(Map<String, ?> entries) {
    if (entries == null || entries.isEmpty()) {
      return null;
    }
    return MAPPER.writeValueAsString(entries instanceof SortedMap<String, ?> ? entries : new TreeMap<>(entries));
  }
}
