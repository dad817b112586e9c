package io.flinkplatform.engine.run;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A workflow run as stored.
 *
 * @param id the run id
 * @param workflowName the workflow's name
 * @param workflowVersion the version this run pinned
 * @param state the run's state
 * @param logicalDate the run's logical date
 * @param parameters the run's parameters (overrides of the workflow's defaults)
 * @param createdAt when the run was triggered
 * @param startedAt when its first task was claimed
 * @param endedAt when it reached a final state
 */
public record WorkflowRun(
    long id,
    String workflowName,
    int workflowVersion,
    RunState state,
    Instant logicalDate,
    Map<String, String> parameters,
    Instant createdAt,
    Optional<Instant> startedAt,
    Optional<Instant> endedAt) {

  public WorkflowRun {
    parameters = Map.copyOf(parameters);
  }
}
