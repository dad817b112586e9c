package io.flinkplatform.spi;

import java.time.Duration;

/**
 * A task whose work runs outside the JVM for a long time (a Flink job, a YARN application). The
 * engine drives it without holding a thread:
 *
 * <ol>
 *   <li>{@link #submit} starts the work and returns an {@link ExternalRef}; the engine persists it
 *       with the attempt (only if the attempt's fencing epoch still holds) before polling;
 *   <li>{@link #poll} is called every {@link #pollInterval()} until it returns a final outcome;
 *   <li>{@link #cancel} is called when the run is killed or the attempt times out;
 *   <li>after a failover, another instance calls {@link #reattach} with the stored reference
 *       instead of submitting the work again, then polls.
 * </ol>
 *
 * Every call must return within the context's deadline; none may block indefinitely.
 */
public interface ExternalTaskType extends TaskType {

  /**
   * Starts the work. Must be idempotent for one attempt (use the attempt id as the identity). Throw
   * {@link TaskFailedException#fatal} for work that can never start as configured (the attempt
   * fails without retries); any other exception fails the attempt as retryable.
   */
  ExternalRef submit(TaskContext context) throws Exception;

  /**
   * Reports the state of submitted work. A {@link ExternalStatus.Running} may carry a new reference
   * (stored with the attempt) and may release the tasks behind the task's RUNNING edges.
   */
  ExternalStatus poll(TaskContext context, ExternalRef ref) throws Exception;

  /** Asks the external system to stop the work. Polling continues until it reports an end. */
  void cancel(TaskContext context, ExternalRef ref) throws Exception;

  /**
   * Re-attaches to work submitted by an earlier owner of this attempt. Returns the reference to
   * poll from now on (the same one by default); a different one is stored with the attempt.
   */
  default ExternalRef reattach(TaskContext context, ExternalRef ref) throws Exception {
    return ref;
  }

  /** How often {@link #poll} is called. */
  default Duration pollInterval() {
    return Duration.ofSeconds(2);
  }

  /** External tasks are driven through submit/poll; the engine never calls this. */
  @Override
  default TaskOutcome execute(TaskContext context) {
    throw new UnsupportedOperationException(
        "external task type '" + id() + "' runs through submit/poll, not execute");
  }
}
