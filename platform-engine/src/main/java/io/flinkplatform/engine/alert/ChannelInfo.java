package io.flinkplatform.engine.alert;

import java.time.Instant;
import java.util.Map;

/**
 * A stored channel as reads show it: secret options are {@link #MASK}, never their value.
 *
 * @param options every option given, converted to its type, secrets masked
 */
public record ChannelInfo(
    String name, String type, Map<String, Object> options, String updatedBy, Instant updatedAt) {

  /** What a read shows in place of a secret option's value. */
  public static final String MASK = "******";

  public ChannelInfo {
    options = Map.copyOf(options);
  }
}
