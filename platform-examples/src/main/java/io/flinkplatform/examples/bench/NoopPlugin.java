package io.flinkplatform.examples.bench;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.spi.TaskContext;
import io.flinkplatform.spi.TaskOutcome;
import io.flinkplatform.spi.TaskPlugin;
import io.flinkplatform.spi.TaskType;
import java.util.List;
import java.util.function.Consumer;

/** Offers the task type {@code noop}, which succeeds at once: the benchmark measures the engine. */
public final class NoopPlugin implements TaskPlugin {
  public static final String TYPE = "noop";

  private final Consumer<TaskContext> onExecute;

  public NoopPlugin() {
    this(context -> {});
  }

  /** A {@code noop} that first hands every execution to {@code onExecute}, e.g. to count them. */
  public NoopPlugin(Consumer<TaskContext> onExecute) {
    this.onExecute = requireNonNull(onExecute, "onExecute is null");
  }

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
            onExecute.accept(context);
            return TaskOutcome.success();
          }
        });
  }
}
