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
 * @param workspace the workspace it belongs to
 * @param triggeredBy who started it: a user, {@code system}, {@code schedule:NAME}
 * @param killedBy who asked to kill it, if anyone did
 * @param rerunBy who started its latest rerun or manual mark, if anyone did
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
    Optional<Instant> endedAt,
    String workspace,
    String triggeredBy,
    Optional<String> killedBy,
    Optional<String> rerunBy) {

  public WorkflowRun {
    parameters = Map.copyOf(parameters);
    java.util.Objects.requireNonNull(workspace, "workspace is null");
    java.util.Objects.requireNonNull(triggeredBy, "triggeredBy is null");
    java.util.Objects.requireNonNull(killedBy, "killedBy is null");
    java.util.Objects.requireNonNull(rerunBy, "rerunBy is null");
  }

  /** A run of the default workspace that the system triggered, as runs were before workspaces. */
  public WorkflowRun(
      long id,
      String workflowName,
      int workflowVersion,
      RunState state,
      Instant logicalDate,
      Map<String, String> parameters,
      Instant createdAt,
      Optional<Instant> startedAt,
      Optional<Instant> endedAt) {
    this(
        id,
        workflowName,
        workflowVersion,
        state,
        logicalDate,
        parameters,
        createdAt,
        startedAt,
        endedAt,
        "default",
        "system",
        Optional.empty(),
        Optional.empty());
  }
}
