package io.flinkplatform.engine.internal.model;

import io.flinkplatform.engine.dag.Edge;
import io.flinkplatform.engine.run.TaskState;

/**
 * One incoming edge of a task as its run stands: the upstream task's state (WAITING when its
 * attempt is unknown) and whether the edge fired. Logic tasks read their upstream this way.
 */
public record EdgeState(Edge edge, TaskState upstream, boolean fired) {}
