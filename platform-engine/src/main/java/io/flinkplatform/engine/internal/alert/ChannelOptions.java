package io.flinkplatform.engine.internal.alert;

import io.flinkplatform.engine.alert.ChannelInfo;
import io.flinkplatform.spi.AlertChannel;
import io.flinkplatform.spi.Secrets;
import io.flinkplatform.spi.TaskOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a channel's options are kept: as a JSON object in {@code t_alert_channel.options}, the value
 * of every {@link TaskOption#secret() secret} option sealed with the key ring under the context
 * {@code t_alert_channel:<workspace>:<channel>:<option>} (a sealed value copied to another channel
 * or option does not open), and masked in every read.
 */
public final class ChannelOptions {
  private ChannelOptions() {}

  /** The context a secret option of a channel is sealed under. */
  public static String context(String workspace, String channel, String option) {
    return "t_alert_channel:" + workspace + ":" + channel + ":" + option;
  }

  /** {@code converted} with every secret option's value sealed (plain values must be strings). */
  public static Map<String, Object> seal(
      AlertChannel type,
      Map<String, Object> converted,
      Secrets secrets,
      String workspace,
      String channel) {
    Map<String, Object> out = new LinkedHashMap<>(converted);
    for (TaskOption o : type.options()) {
      Object v = out.get(o.name());
      if (o.secret() && v != null && !(v instanceof String s && secrets.isSealed(s))) {
        out.put(o.name(), secrets.seal(v.toString(), context(workspace, channel, o.name())));
      }
    }
    return out;
  }

  /** The stored options with every secret one opened, ready for {@link AlertChannel#send}. */
  public static Map<String, Object> open(
      AlertChannel type,
      Map<String, Object> stored,
      Secrets secrets,
      String workspace,
      String channel) {
    Map<String, Object> out = new LinkedHashMap<>(stored);
    for (TaskOption o : type.options()) {
      Object v = out.get(o.name());
      if (o.secret() && v instanceof String s) {
        out.put(o.name(), secrets.open(s, context(workspace, channel, o.name())));
      }
    }
    return out;
  }

  /** The stored options with every secret one replaced by {@link ChannelInfo#MASK}. */
  public static Map<String, Object> mask(AlertChannel type, Map<String, Object> stored) {
    Map<String, Object> out = new LinkedHashMap<>(stored);
    for (TaskOption o : type.options()) {
      if (o.secret() && out.get(o.name()) != null) {
        out.put(o.name(), ChannelInfo.MASK);
      }
    }
    return out;
  }
}
