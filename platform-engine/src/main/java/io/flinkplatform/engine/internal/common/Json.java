package io.flinkplatform.engine.internal.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flinkplatform.spi.ExternalRef;
import java.util.Map;

/** JSON for the small maps the engine stores (parameters, outputs, external references). */
public final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};
  private static final TypeReference<Map<String, Object>> OBJECT_MAP = new TypeReference<>() {};

  private Json() {}

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write JSON: " + e.getOriginalMessage(), e);
    }
  }

  public static Map<String, String> stringMap(String json) {
    if (json == null || json.isEmpty()) {
      return Map.of();
    }
    try {
      return MAPPER.readValue(json, STRING_MAP);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "stored JSON is not a map of strings: " + e.getOriginalMessage(), e);
    }
  }

  public static String writeRef(ExternalRef ref) {
    return write(Map.of("id", ref.id(), "attributes", ref.attributes()));
  }

  @SuppressWarnings("unchecked")
  public static ExternalRef readRef(String json) {
    try {
      Map<String, Object> m = MAPPER.readValue(json, OBJECT_MAP);
      return new ExternalRef(
          (String) m.get("id"), (Map<String, String>) m.getOrDefault("attributes", Map.of()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored external reference is not valid JSON", e);
    }
  }

  /** A stored JSON list of strings as a set, or null for a null column. */
  public static java.util.Set<String> stringSet(String json) {
    if (json == null) {
      return null;
    }
    try {
      return java.util.Set.copyOf(MAPPER.readValue(json, STRING_LIST));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "stored JSON is not a list of strings: " + e.getOriginalMessage(), e);
    }
  }

  private static final TypeReference<java.util.List<String>> STRING_LIST = new TypeReference<>() {};
}
