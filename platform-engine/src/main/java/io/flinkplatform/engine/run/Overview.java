package io.flinkplatform.engine.run;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a workspace is doing, at a glance. From {@code PlatformClient.overview()}.
 *
 * @param at when it was read, by the platform's clock
 * @param hours the runs triggered in each of the last 24 hours, oldest first: whole clock hours in
 *     UTC, the last one being the current (partial) hour
 * @param running runs RUNNING or KILLING now, newest first, at most {@value #MAX_LISTED}
 * @param runningCount how many runs are RUNNING or KILLING now (also beyond the list)
 * @param failures runs that ended FAILED in the last 24 hours, latest end first, at most {@value
 *     #MAX_LISTED}
 * @param failureCount how many runs ended FAILED in the last 24 hours
 * @param queueDepth the workspace's READY attempts (waiting for a claim, including those backing
 *     off before a retry)
 * @param readyByPriority the same attempts counted by their effective priority (task plus workflow
 *     priority plus what ageing added)
 * @param liveInstances the instances whose lease holds (of the whole platform)
 * @param lagging the workspace's schedules, not paused, whose next fire time passed more than
 *     {@link #LAG_THRESHOLD} ago, most late first
 */
public record Overview(
    Instant at,
    List<HourCounts> hours,
    List<WorkflowRun> running,
    int runningCount,
    List<WorkflowRun> failures,
    int failureCount,
    int queueDepth,
    Map<Integer, Integer> readyByPriority,
    int liveInstances,
    List<ScheduleLag> lagging) {
  /** The most runs each list holds. */
  public static final int MAX_LISTED = 50;

  /** How late a schedule's fire time must be to count as lagging. */
  public static final Duration LAG_THRESHOLD = Duration.ofMinutes(1);

  public Overview {
    requireNonNull(at, "at is null");
    hours = List.copyOf(hours);
    running = List.copyOf(running);
    failures = List.copyOf(failures);
    readyByPriority = Map.copyOf(readyByPriority);
    lagging = List.copyOf(lagging);
  }

  /**
   * The runs triggered in one hour, by the state they are in now.
   *
   * @param start the hour's start
   * @param byState how many runs are in each state; states without runs are left out
   */
  public record HourCounts(Instant start, Map<RunState, Integer> byState) {
    public HourCounts {
      requireNonNull(start, "start is null");
      byState = Map.copyOf(byState);
    }

    /** All runs of the hour. */
    public int total() {
      return byState.values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  /**
   * A schedule that is late.
   *
   * @param schedule the schedule's name
   * @param workflow the workflow it starts
   * @param nextFireAt the fire time it has not fired yet
   * @param lag how late it is, by the time schedules fire on
   * @param quarantine why no instance could read it last, if it was set aside
   */
  public record ScheduleLag(
      String schedule,
      String workflow,
      Instant nextFireAt,
      Duration lag,
      Optional<String> quarantine) {
    public ScheduleLag {
      requireNonNull(schedule, "schedule is null");
      requireNonNull(workflow, "workflow is null");
      requireNonNull(nextFireAt, "nextFireAt is null");
      requireNonNull(lag, "lag is null");
      requireNonNull(quarantine, "quarantine is null");
    }
  }
}
