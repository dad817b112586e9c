package io.flinkplatform.engine.run;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One workflow of a workspace as a list of workflows shows it: its latest version, who deployed it,
 * the schedules that start it and its latest run. From {@code PlatformClient.workflows()}.
 *
 * @param name the workflow's name
 * @param latestVersion its latest version
 * @param taskCount the tasks of the latest version
 * @param deployedAt when the latest version was deployed
 * @param deployedBy who deployed it (an actor's name, {@code system} for the host's own code)
 * @param description the latest version's description
 * @param schedules the names of the workspace's schedules that start it, sorted
 * @param lastRun its run with the highest id (the latest triggered), if it ever ran
 */
public record WorkflowSummary(
    String name,
    int latestVersion,
    int taskCount,
    Instant deployedAt,
    String deployedBy,
    String description,
    List<String> schedules,
    Optional<WorkflowRun> lastRun) {

  public WorkflowSummary {
    requireNonNull(name, "name is null");
    requireNonNull(deployedAt, "deployedAt is null");
    requireNonNull(deployedBy, "deployedBy is null");
    requireNonNull(description, "description is null");
    schedules = List.copyOf(schedules);
    requireNonNull(lastRun, "lastRun is null");
  }
}
