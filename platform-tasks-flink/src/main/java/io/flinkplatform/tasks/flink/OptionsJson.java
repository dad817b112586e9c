package io.flinkplatform.tasks.flink;

import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.type.TypeReference;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

/** A catalog's options as the JSON object stored in {@code t_catalog_info}, keys sorted. */
final class OptionsJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private OptionsJson() {}

  static String write(Map<String, String> options) {
    try {
      return JSON.writeValueAsString(new TreeMap<>(options));
    } catch (Exception e) {
      throw new IllegalArgumentException("catalog options cannot be written as JSON", e);
    }
  }

  static Map<String, String> read(String json) {
    try {
      return JSON.readValue(json, new TypeReference<Map<String, String>>() {});
    } catch (Exception e) {
      throw new FlinkTaskException("catalog options in t_catalog_info are not a JSON object", e);
    }
  }
}
