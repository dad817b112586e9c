package io.flinkplatform.spi;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A workflow that a task starts when it runs ({@link TaskType#referencedWorkflows}), so that the
 * platform can refuse, at deploy time, a workflow that would start itself again and again.
 *
 * @param name the workflow's name
 * @param version the version it pins, or empty for the latest one at run time
 */
public record WorkflowReference(String name, Optional<Integer> version) {
  public WorkflowReference {
    requireNonNull(name, "name is null");
    requireNonNull(version, "version is null");
  }
}
