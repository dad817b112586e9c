package io.flinkplatform.engine.internal.query;

import static java.util.Objects.requireNonNull;

/**
 * The reads an operations console needs beyond runs and attempts: workflows and their versions, run
 * search, instances and the overview. One value, so the client facade takes them together.
 */
public record Reads(
    WorkflowReads workflows, RunSearch search, InstanceReads instances, Overviews overviews) {
  public Reads {
    requireNonNull(workflows, "workflows is null");
    requireNonNull(search, "search is null");
    requireNonNull(instances, "instances is null");
    requireNonNull(overviews, "overviews is null");
  }
}
