package io.flinkplatform.spi;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A typed, documented option of a task type.
 *
 * @param name the key in the task's options, e.g. {@code "command"}
 * @param type the value type
 * @param required whether a value must be given (a required option has no default)
 * @param defaultValue the value used when none is given, or {@code null}
 * @param description one sentence for docs and error messages
 * @param allowedValues if not empty, the only values accepted (compared as strings)
 * @param secret whether the value is a secret that must never be logged or shown
 */
public record TaskOption(
    String name,
    OptionType type,
    boolean required,
    Object defaultValue,
    String description,
    List<String> allowedValues,
    boolean secret) {

  public TaskOption {
    requireNonNull(name, "name is null");
    requireNonNull(type, "type is null");
    requireNonNull(description, "description is null");
    allowedValues = List.copyOf(requireNonNull(allowedValues, "allowedValues is null"));
    if (required && defaultValue != null) {
      throw new IllegalArgumentException("required option '" + name + "' cannot have a default");
    }
    if (defaultValue != null) {
      defaultValue = type.convert(defaultValue);
    }
  }

  /** A required option. */
  public static TaskOption required(String name, OptionType type, String description) {
    return new TaskOption(name, type, true, null, description, List.of(), false);
  }

  /** An optional option with a default value ({@code null} for none). */
  public static TaskOption optional(
      String name, OptionType type, Object defaultValue, String description) {
    return new TaskOption(name, type, false, defaultValue, description, List.of(), false);
  }

  /** This option restricted to the given values. */
  public TaskOption withAllowedValues(String... values) {
    return new TaskOption(name, type, required, defaultValue, description, List.of(values), secret);
  }

  /**
   * This option marked as a secret (declare it as a string): a workflow must give it as a reference
   * {@code secret:NAME} ({@link Secrets#referenceName}), refused at deploy otherwise, so the secret
   * is never stored with the workflow; the task resolves the name when it runs with {@link
   * PluginContext#secret(String)}.
   */
  public TaskOption asSecret() {
    return new TaskOption(name, type, required, defaultValue, description, allowedValues, true);
  }
}
