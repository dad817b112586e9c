package io.flinkplatform.engine.alert;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * A channel to save: its name in the workspace, its type ({@code webhook}, {@code email}, {@code
 * feishu}, {@code dingtalk}, {@code wecom}, {@code slack} or a host's own {@code AlertChannel}) and
 * its options, secret ones in plain text here (they are sealed before they are stored). Saving a
 * channel again without a secret option keeps the stored secret.
 */
public record ChannelSpec(String name, String type, Map<String, Object> options) {
  public ChannelSpec {
    requireNonNull(name, "name is null");
    requireNonNull(type, "type is null");
    options = Map.copyOf(requireNonNull(options, "options is null"));
  }

  /** Names only the option keys: the values may hold secrets. */
  @Override
  public String toString() {
    return "ChannelSpec[name=" + name + ", type=" + type + ", options=" + options.keySet() + "]";
  }
}
