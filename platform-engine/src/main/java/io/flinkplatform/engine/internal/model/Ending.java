package io.flinkplatform.engine.internal.model;

import io.flinkplatform.engine.run.TaskState;

/**
 * What an outcome of a running attempt does: the state the attempt ends in (a failure in a run
 * being killed ends KILLED), the retry it gets if any, and whether its downstream tasks are to be
 * decided now (not on a retry, nor while the run is being killed).
 */
public record Ending(TaskState state, Retry retry, boolean advances) {}
