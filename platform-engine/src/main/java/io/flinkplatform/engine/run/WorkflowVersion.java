package io.flinkplatform.engine.run;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One deployed version of a workflow, without its definition (read that with {@code
 * PlatformClient.workflow(name, version)}). From {@code PlatformClient.versions(name)}.
 *
 * @param id the version's row id (as {@link DeployedWorkflow#id()})
 * @param version 1 for the first deployment of the name, then 2, 3, ...
 * @param deployedAt when it was deployed
 * @param deployedBy who deployed it
 * @param taskCount its tasks
 * @param description its description
 */
public record WorkflowVersion(
    long id,
    int version,
    Instant deployedAt,
    String deployedBy,
    int taskCount,
    String description) {

  public WorkflowVersion {
    requireNonNull(deployedAt, "deployedAt is null");
    requireNonNull(deployedBy, "deployedBy is null");
    requireNonNull(description, "description is null");
  }
}
