package io.flinkplatform.examples.bench;

import io.flinkplatform.spi.TaskContext;
import io.flinkplatform.spi.TaskOutcome;
import io.flinkplatform.spi.TaskPlugin;
import io.flinkplatform.spi.TaskType;
import java.util.List;

/** Offers the task type {@code noop}, which succeeds at once: the benchmark measures the engine. */
final class NoopPlugin implements TaskPlugin {
  static final String TYPE = "noop";

  @Override
  public String name() {
    return "benchmark-noop";
  }

  @Override
  public List<TaskType> taskTypes() {
    return List.of(
        new TaskType() {
          @Override
          public String id() {
            return TYPE;
          }

          @Override
          public String description() {
            return "Does nothing and succeeds.";
          }

          @Override
          public TaskOutcome execute(TaskContext context) {
            return TaskOutcome.success();
          }
        });
  }
}
