package io.flinkplatform.tasks.logic;

import io.flinkplatform.spi.TaskPlugin;
import io.flinkplatform.spi.TaskType;
import java.util.List;

/**
 * The logic task types: {@code condition}, {@code switch}, {@code dependent} and {@code
 * sub_workflow}. Found through {@code META-INF/services}; needs nothing but the platform.
 */
public final class LogicTaskPlugin implements TaskPlugin {

  @Override
  public String name() {
    return "logic";
  }

  @Override
  public List<TaskType> taskTypes() {
    return List.of(
        new ConditionTask(), new SwitchTask(), new DependentTask(), new SubWorkflowTask());
  }
}
