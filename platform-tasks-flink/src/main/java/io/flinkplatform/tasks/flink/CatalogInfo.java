package io.flinkplatform.tasks.flink;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A Flink catalog kept in {@code t_catalog_info} and registered before the statements of the {@code
 * flink_sql} tasks that name it.
 *
 * @param name the catalog's name in SQL
 * @param type the Flink catalog type (its factory identifier), e.g. {@code generic_in_memory},
 *     {@code jdbc}, {@code hive}
 * @param defaultDatabase the database the task starts in, if any
 * @param options the catalog's options besides {@code type}; may hold secrets: values of options
 *     whose names look secret (password, secret, token, key, …) are stored sealed with the
 *     platform's key ring, and {@link #toString()} shows keys only
 */
public record CatalogInfo(
    String name, String type, Optional<String> defaultDatabase, Map<String, String> options) {
  public CatalogInfo {
    requireNonNull(name, "name is null");
    requireNonNull(type, "type is null");
    requireNonNull(defaultDatabase, "defaultDatabase is null");
    options = Map.copyOf(requireNonNull(options, "options is null"));
    if (name.isBlank() || type.isBlank()) {
      throw new IllegalArgumentException("catalog name and type must not be blank");
    }
  }

  /** Shows option keys only: values may be secrets (passwords, tokens). */
  @Override
  public String toString() {
    return "CatalogInfo[name="
        + name
        + ", type="
        + type
        + ", defaultDatabase="
        + defaultDatabase.orElse("-")
        + ", options="
        + new TreeMap<>(options).keySet()
        + "]";
  }
}
