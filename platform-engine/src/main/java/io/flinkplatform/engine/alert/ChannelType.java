package io.flinkplatform.engine.alert;

import io.flinkplatform.spi.TaskOption;
import java.util.List;

/** A channel type this platform can send to, with the options a channel of it takes. */
public record ChannelType(String type, String description, List<TaskOption> options) {
  public ChannelType {
    options = List.copyOf(options);
  }
}
