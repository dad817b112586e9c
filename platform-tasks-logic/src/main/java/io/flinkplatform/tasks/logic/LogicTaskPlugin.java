package io.flinkplatform.tasks.logic;

import io.flinkplatform.spi.PluginContext;
import io.flinkplatform.spi.TaskPlugin;
import io.flinkplatform.spi.TaskType;
import io.flinkplatform.spi.WorkspaceAccess;
import java.util.List;
import java.util.Optional;

/**
 * The logic task types: {@code condition}, {@code switch}, {@code dependent} and {@code
 * sub_workflow}. Found through {@code META-INF/services}; needs nothing but the platform.
 */
public final class LogicTaskPlugin implements TaskPlugin {
  /** The platform's grants, for the deploy-time checks of {@code dependent}; set at start. */
  private volatile Optional<WorkspaceAccess> access = Optional.empty();

  @Override
  public String name() {
    return "logic";
  }

  @Override
  public List<TaskType> taskTypes() {
    return List.of(
        new ConditionTask(),
        new SwitchTask(),
        new DependentTask(() -> access),
        new SubWorkflowTask());
  }

  @Override
  public void start(PluginContext context) {
    try {
      access = Optional.of(context.access());
    } catch (UnsupportedOperationException e) {
      // a platform without workspaces: items naming another workspace are refused at deploy
      access = Optional.empty();
    }
  }
}
