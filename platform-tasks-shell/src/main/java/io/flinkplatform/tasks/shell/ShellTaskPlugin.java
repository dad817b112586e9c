package io.flinkplatform.tasks.shell;

import io.flinkplatform.spi.TaskPlugin;
import io.flinkplatform.spi.TaskType;
import java.util.List;

/** Offers the {@code shell} task type. Listed in {@code META-INF/services}. */
public final class ShellTaskPlugin implements TaskPlugin {
  private final List<TaskType> taskTypes = List.of(new ShellTaskType());

  @Override
  public String name() {
    return "shell";
  }

  @Override
  public List<TaskType> taskTypes() {
    return taskTypes;
  }
}
