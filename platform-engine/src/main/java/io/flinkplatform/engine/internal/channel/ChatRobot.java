package io.flinkplatform.engine.internal.channel;

import io.flinkplatform.spi.AlertChannel;
import io.flinkplatform.spi.TaskOption;
import java.util.List;
import java.util.Map;

/**
 * What the chat robots (Feishu, DingTalk, WeCom, Slack) share: a type id, one sentence, their
 * options, and a {@code webhook} option that must be an http(s) URL. Each says only how it posts.
 */
abstract class ChatRobot implements AlertChannel {
  private final String type;
  private final String description;
  private final List<TaskOption> options;

  ChatRobot(String type, String description, List<TaskOption> options) {
    this.type = type;
    this.description = description;
    this.options = List.copyOf(options);
  }

  @Override
  public final String type() {
    return type;
  }

  @Override
  public final String description() {
    return description;
  }

  @Override
  public final List<TaskOption> options() {
    return options;
  }

  @Override
  public final void validate(Map<String, Object> options) {
    Texts.httpUrl(options, "webhook");
  }
}
