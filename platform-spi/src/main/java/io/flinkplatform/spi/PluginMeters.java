package io.flinkplatform.spi;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.function.Supplier;

/**
 * The platform's meters as a plugin sees them ({@link PluginContext#meters()}): gauges on the
 * host's Micrometer registry, read when the registry is scraped, tagged with the platform's {@code
 * instance} besides the plugin's own tags. Without a registry ({@link #NONE}) nothing is measured,
 * but names and tags are still checked, so a plugin's mistake shows in its tests.
 *
 * <p>Rules: a name starts with {@value #PREFIX} (and is the plugin's own: registering the same name
 * and tags again replaces the earlier gauge, as a platform started again on the same registry
 * does); tag values come from a small fixed set (states, kinds), never from ids or names users
 * choose, so the registry holds a bounded number of series; the tag {@code instance} is the
 * platform's. A supplier is called on the scraping thread: it returns a cached number and never
 * queries per call (refresh the cache at most every few seconds); null or an exception reads as
 * NaN.
 */
public interface PluginMeters {
  /** What every meter name starts with. */
  String PREFIX = "flinkplatform.";

  /** Measures nothing (the platform has no registry); still checks its arguments. */
  PluginMeters NONE = PluginMeters::check;

  /**
   * Registers the gauge {@code name} with {@code tags}, whose value {@code value} gives.
   *
   * @throws IllegalArgumentException if the name does not start with {@value #PREFIX}, or a tag is
   *     {@code instance}, blank, or has a blank value
   */
  void gauge(String name, String description, Map<String, String> tags, Supplier<Number> value);

  /**
   * Checks the arguments of {@link #gauge} as every implementation does.
   *
   * @throws IllegalArgumentException as {@link #gauge} does
   */
  static void check(
      String name, String description, Map<String, String> tags, Supplier<Number> value) {
    requireNonNull(name, "name is null");
    requireNonNull(description, "description is null");
    requireNonNull(tags, "tags is null");
    requireNonNull(value, "value is null");
    if (!name.startsWith(PREFIX) || name.length() == PREFIX.length()) {
      throw new IllegalArgumentException(
          "meter name must start with '" + PREFIX + "' and go on, but was '" + name + "'");
    }
    tags.forEach(
        (k, v) -> {
          if (k == null || k.isBlank() || "instance".equals(k)) {
            throw new IllegalArgumentException(
                "tag of meter "
                    + name
                    + " must be a non-blank key other than 'instance' (the platform's), but was '"
                    + k
                    + "'");
          }
          if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(
                "tag " + k + " of meter " + name + " must have a non-blank value");
          }
        });
  }
}
