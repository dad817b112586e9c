package io.flinkplatform.spi;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A task's validated options, converted to their declared {@link OptionType types}, with defaults
 * filled in. Immutable.
 */
public final class TaskConfig {
  private final Map<String, Object> values;

  private TaskConfig(Map<String, Object> values) {
    this.values = values;
  }

  /**
   * Builds a config from raw values (as read from JSON) and the options that type them. Values of
   * unknown keys are kept as given; the engine rejects them before a task ever sees them.
   *
   * @throws IllegalArgumentException naming the first option whose value does not convert
   */
  public static TaskConfig of(Map<String, ?> raw, List<TaskOption> options) {
    requireNonNull(raw, "raw is null");
    requireNonNull(options, "options is null");
    Map<String, Object> out = new LinkedHashMap<>(raw);
    for (TaskOption option : options) {
      Object value = raw.get(option.name());
      if (value == null) {
        if (option.defaultValue() != null) {
          out.put(option.name(), option.defaultValue());
        }
        continue;
      }
      try {
        out.put(option.name(), option.type().convert(value));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("option '" + option.name() + "': " + e.getMessage(), e);
      }
    }
    return new TaskConfig(Collections.unmodifiableMap(out));
  }

  public boolean has(String name) {
    return values.containsKey(name);
  }

  public Optional<String> string(String name) {
    return Optional.ofNullable((String) values.get(name));
  }

  public String requireString(String name) {
    return string(name).orElseThrow(() -> missing(name));
  }

  public Optional<Integer> integer(String name) {
    return Optional.ofNullable((Integer) values.get(name));
  }

  public Optional<Long> longValue(String name) {
    return Optional.ofNullable((Long) values.get(name));
  }

  public Optional<Boolean> bool(String name) {
    return Optional.ofNullable((Boolean) values.get(name));
  }

  public Optional<Duration> duration(String name) {
    return Optional.ofNullable((Duration) values.get(name));
  }

  @SuppressWarnings("unchecked")
  public List<String> stringList(String name) {
    Object v = values.get(name);
    return v == null ? List.of() : (List<String>) v;
  }

  @SuppressWarnings("unchecked")
  public Map<String, String> stringMap(String name) {
    Object v = values.get(name);
    return v == null ? Map.of() : (Map<String, String>) v;
  }

  /** All values by option name. */
  public Map<String, Object> asMap() {
    return values;
  }

  private static IllegalStateException missing(String name) {
    return new IllegalStateException("option '" + name + "' has no value");
  }

  /** Shows option names only: values may hold secrets. */
  @Override
  public String toString() {
    return "TaskConfig" + values.keySet();
  }
}
