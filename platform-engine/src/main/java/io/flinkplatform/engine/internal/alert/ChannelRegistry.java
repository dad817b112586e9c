package io.flinkplatform.engine.internal.alert;

import io.flinkplatform.engine.InvalidRequestException;
import io.flinkplatform.spi.AlertChannel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The alert channel types by id: those found through ServiceLoader plus the host's. */
public final class ChannelRegistry {
  private final Map<String, AlertChannel> types;

  public ChannelRegistry(Collection<AlertChannel> channels) {
    Map<String, AlertChannel> byType = new TreeMap<>();
    for (AlertChannel c : channels) {
      AlertChannel before = byType.putIfAbsent(c.type(), c);
      if (before != null && before.getClass() != c.getClass()) {
        throw new IllegalStateException(
            "two alert channel types named '"
                + c.type()
                + "': "
                + before.getClass().getName()
                + " and "
                + c.getClass().getName());
      }
    }
    this.types = Collections.unmodifiableMap(byType);
  }

  /** The types found through ServiceLoader on {@code loader}. */
  public static ChannelRegistry discover(ClassLoader loader) {
    List<AlertChannel> found = new ArrayList<>();
    ServiceLoader.load(AlertChannel.class, loader).forEach(found::add);
    return new ChannelRegistry(found);
  }

  public Collection<AlertChannel> all() {
    return types.values();
  }

  /**
   * The type named {@code type}.
   *
   * @throws InvalidRequestException naming the field {@code type} and the known types
   */
  public AlertChannel get(String type) {
    AlertChannel c = type == null ? null : types.get(type);
    if (c == null) {
      throw new InvalidRequestException(
          "type", "unknown alert channel type '" + type + "'; known types: " + types.keySet());
    }
    return c;
  }
}
