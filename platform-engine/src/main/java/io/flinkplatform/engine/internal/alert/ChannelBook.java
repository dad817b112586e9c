package io.flinkplatform.engine.internal.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flinkplatform.engine.InvalidRequestException;
import io.flinkplatform.engine.alert.ChannelInfo;
import io.flinkplatform.engine.alert.ChannelSpec;
import io.flinkplatform.engine.internal.common.Json;
import io.flinkplatform.engine.internal.store.AlertChannelRow;
import io.flinkplatform.spi.AlertChannel;
import io.flinkplatform.spi.InvalidInputException;
import io.flinkplatform.spi.Secrets;
import io.flinkplatform.spi.TaskOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The checks and forms of a channel's options: given ones converted to their types and checked
 * (unknown names, types, allowed values, required ones, then the type's own {@link
 * AlertChannel#validate}), secret ones sealed, and stored ones read back masked.
 */
final class ChannelBook {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> OBJECT_MAP = new TypeReference<>() {};

  private final ChannelRegistry registry;
  private final Secrets secrets;

  ChannelBook(ChannelRegistry registry, Secrets secrets) {
    this.registry = registry;
    this.secrets = secrets;
  }

  /** The spec's options converted and checked on their own (before the stored row is read). */
  Map<String, Object> converted(ChannelSpec spec) {
    Names.name("name", "channel", spec.name());
    AlertChannel type = registry.get(spec.type());
    Map<String, TaskOption> known = new LinkedHashMap<>();
    type.options().forEach(o -> known.put(o.name(), o));
    List<String> unknown =
        spec.options().keySet().stream().filter(k -> !known.containsKey(k)).sorted().toList();
    if (!unknown.isEmpty()) {
      throw new InvalidRequestException(
          "options",
          "unknown option(s) "
              + unknown
              + " for channel type '"
              + type.type()
              + "'; its options: "
              + known.keySet());
    }
    Map<String, Object> out = new TreeMap<>();
    for (TaskOption o : type.options()) {
      Object raw = spec.options().get(o.name());
      if (raw == null) {
        continue;
      }
      Object v;
      try {
        v = o.type().convert(raw);
      } catch (IllegalArgumentException e) {
        throw new InvalidRequestException(
            o.name(),
            "option '"
                + o.name()
                + "' must be of type "
                + o.type()
                + (o.secret() ? " (the value is a secret and not shown)" : ": " + e.getMessage()));
      }
      if (!o.allowedValues().isEmpty() && !o.allowedValues().contains(String.valueOf(v))) {
        throw new InvalidRequestException(
            o.name(),
            "option '"
                + o.name()
                + "' "
                + (o.secret() ? "has a value" : "is '" + v + "'")
                + " but allows only "
                + o.allowedValues());
      }
      if (o.secret() && !secrets.available()) {
        throw new InvalidRequestException(
            o.name(),
            "option '"
                + o.name()
                + "' is a secret, and the platform has no key ring to seal it with: give one with"
                + " Platform.builder().keyRing(...)");
      }
      out.put(o.name(), v);
    }
    return out;
  }

  /**
   * The options to store: {@code converted} with its secrets sealed, and the stored secrets of
   * {@code old} (same type) that the spec left out; checks required options and {@link
   * AlertChannel#validate} on the whole.
   */
  String toStore(
      String workspace, ChannelSpec spec, Map<String, Object> converted, AlertChannelRow old) {
    AlertChannel type = registry.get(spec.type());
    Map<String, Object> kept =
        old != null && old.type.equals(type.type()) ? read(old.options) : Map.of();
    Map<String, Object> stored = new TreeMap<>();
    Map<String, Object> plain = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    for (TaskOption o : type.options()) {
      Object v = converted.get(o.name());
      if (!o.secret()
          && !String.valueOf(v == null ? null : storable(v))
              .equals(String.valueOf(kept.get(o.name())))) {
        changed.add(o.name());
      }
    }
    for (TaskOption o : type.options()) {
      String context = ChannelOptions.context(workspace, spec.name(), o.name());
      Object v = converted.get(o.name());
      if (v != null) {
        plain.put(o.name(), v);
        stored.put(o.name(), o.secret() ? secrets.seal(v.toString(), context) : storable(v));
      } else if (o.secret() && kept.get(o.name()) instanceof String sealed) {
        if (!changed.isEmpty()) {
          // a kept secret goes only where it went before: with another url, host or user it
          // would be handed to whoever the editor names
          throw new InvalidRequestException(
              o.name(),
              "give the secret option '"
                  + o.name()
                  + "' again: the option(s) "
                  + changed
                  + " of channel '"
                  + spec.name()
                  + "' changed, and a stored secret is kept only while the others stay as they"
                  + " are");
        }
        stored.put(o.name(), sealed);
        plain.put(o.name(), opened(o.name(), sealed, context));
      } else if (o.required()) {
        missing.add(o.name());
      } else if (o.defaultValue() != null) {
        plain.put(o.name(), o.defaultValue());
      }
    }
    if (!missing.isEmpty()) {
      throw new InvalidRequestException(
          missing.get(0),
          "channel type '" + type.type() + "' needs the option(s) " + missing + ", not given");
    }
    try {
      type.validate(java.util.Collections.unmodifiableMap(plain));
    } catch (InvalidInputException e) {
      throw new InvalidRequestException(e.field(), e.getMessage());
    }
    return Json.write(stored);
  }

  private String opened(String option, String sealed, String context) {
    try {
      return secrets.open(sealed, context);
    } catch (Secrets.SecretsException e) {
      throw new InvalidRequestException(
          option,
          "the stored value of secret option '"
              + option
              + "' cannot be opened ("
              + e.getMessage()
              + "): give it again");
    }
  }

  /** The stored channel as reads show it: typed options, secrets masked. */
  ChannelInfo info(AlertChannelRow row) {
    Map<String, Object> stored = read(row.options);
    Map<String, Object> shown = new TreeMap<>();
    AlertChannel type;
    try {
      type = registry.get(row.type);
    } catch (InvalidRequestException e) {
      // the type's plugin is gone: which options are secret is unknown, so none is shown
      stored.keySet().forEach(k -> shown.put(k, ChannelInfo.MASK));
      return new ChannelInfo(
          row.name, row.type, shown, row.updatedBy, Instant.ofEpochMilli(row.updatedAt));
    }
    Map<String, TaskOption> known = new LinkedHashMap<>();
    type.options().forEach(o -> known.put(o.name(), o));
    ChannelOptions.mask(type, stored)
        .forEach(
            (k, v) -> {
              TaskOption o = known.get(k);
              shown.put(k, o == null || o.secret() || v == null ? v : typed(o, v));
            });
    shown.values().removeIf(java.util.Objects::isNull);
    return new ChannelInfo(
        row.name, row.type, shown, row.updatedBy, Instant.ofEpochMilli(row.updatedAt));
  }

  private static Object typed(TaskOption o, Object v) {
    try {
      return o.type().convert(v);
    } catch (IllegalArgumentException e) {
      return v;
    }
  }

  /** A converted value in a form JSON keeps (a duration as ISO-8601). */
  private static Object storable(Object v) {
    return v instanceof Duration d ? d.toString() : v;
  }

  static Map<String, Object> read(String json) {
    try {
      return new LinkedHashMap<>(MAPPER.readValue(json, OBJECT_MAP));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "stored alert channel options are not a JSON object: " + e.getOriginalMessage(), e);
    }
  }
}
