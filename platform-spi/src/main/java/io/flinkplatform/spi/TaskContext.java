package io.flinkplatform.spi;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Everything an attempt may know about itself. Given by the engine; never build one by hand. */
public interface TaskContext {

  /** The workflow's name. */
  String workflowName();

  /**
   * The workspace the run belongs to: the names the task resolves (datasources, workflows) are
   * looked up there, or in a workspace that granted them ({@link WorkspaceAccess#granted}).
   */
  default String workspace() {
    return Workspaces.DEFAULT;
  }

  /** The workflow version this run pinned. */
  int workflowVersion();

  /** The workflow run's id. */
  long runId();

  /** The task's id within the workflow. */
  String taskId();

  /** The attempt's row id; unique across the platform, stable across failovers of this attempt. */
  long attemptId();

  /** 1 for the first attempt, 2 for the first retry, and so on. */
  int attemptNumber();

  /**
   * The fencing epoch of this claim of the attempt. It grows each time the attempt is claimed, so
   * an external system that records it can reject writes from a stale owner.
   */
  long fencingEpoch();

  /** The run's logical date: its scheduled fire time, or the one given to a manual run. */
  Instant logicalDate();

  /** The task's options, validated against {@link TaskType#options()}. */
  TaskConfig config();

  /**
   * The task's parameters, in layers where a later one wins: the platform's global parameters, the
   * workflow's, the run's, then the task's own; date macros ({@code ${date-1d}}, ...) rendered
   * against the run's logical date, in the zone its {@code timezone} parameter names (UTC by
   * default). Outputs of upstream tasks are not parameters: read them from {@link
   * #upstreamOutputs()}.
   */
  Map<String, String> parameters();

  /** Outputs of the tasks directly upstream of this one, by task id. Read on first use. */
  Map<String, Map<String, String>> upstreamOutputs();

  /** The attempt's log. */
  TaskLog log();

  /** Fires when the attempt must stop (kill, timeout, shutdown). */
  Cancellation cancellation();

  /** When the attempt times out, if its task has a timeout. */
  Optional<Instant> deadline();

  /** The platform's clock; use it instead of the system clock so tests can control time. */
  Clock clock();

  /**
   * The incoming edges of this task with the states of their upstream tasks, read when the task
   * starts. Tasks that decide on their upstream outcomes ({@link TaskType#evaluatesUpstream()}) use
   * it; contexts that do not offer it return an empty list.
   */
  default List<UpstreamEdge> upstream() {
    return List.of();
  }

  /** The ids of the tasks directly downstream of this one, for tasks that choose branches. */
  default List<String> downstreamTaskIds() {
    return List.of();
  }

  /**
   * Access to other runs (read runs by logical date, start a child run, kill a run).
   *
   * @throws UnsupportedOperationException if this context does not offer it
   */
  default PlatformAccess platform() {
    throw new UnsupportedOperationException("this task context offers no platform access");
  }
}
