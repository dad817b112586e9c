package io.flinkplatform.engine.schedule;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableMap;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A cron schedule that starts runs of the latest version of a workflow. Each fire time is the run's
 * logical date. Build one with {@link #builder(String, String, String)}.
 *
 * @param name unique name of the schedule
 * @param workflowName the workflow it runs
 * @param cron a Unix (5 fields: minute hour day-of-month month day-of-week) or Quartz (6 or 7
 *     fields, seconds first, optional year) cron expression
 * @param zone the time zone the expression is read in
 * @param startAt no fire time before this
 * @param endAt no fire time after this
 * @param dstGap fire times that do not exist on spring-forward days
 * @param dstOverlap fire times that exist twice on fall-back days
 * @param misfire fire times missed while no instance was up or the schedule was paused
 * @param misfireThreshold how late a fire time may be noticed and still count as on time
 * @param overlap fire times that come while earlier runs are still active
 * @param parameters the runs' parameters
 * @param paused created paused
 */
public record ScheduleSpec(
    String name,
    String workflowName,
    String cron,
    ZoneId zone,
    Optional<Instant> startAt,
    Optional<Instant> endAt,
    DstGap dstGap,
    DstOverlap dstOverlap,
    MisfirePolicy misfire,
    Duration misfireThreshold,
    OverlapPolicy overlap,
    Map<String, String> parameters,
    boolean paused) {

  public static final Duration DEFAULT_MISFIRE_THRESHOLD = Duration.ofSeconds(60);

  public ScheduleSpec {
    requireNonNull(name, "name is null");
    requireNonNull(workflowName, "workflowName is null");
    requireNonNull(cron, "cron is null");
    requireNonNull(zone, "zone is null");
    requireNonNull(startAt, "startAt is null");
    requireNonNull(endAt, "endAt is null");
    requireNonNull(dstGap, "dstGap is null");
    requireNonNull(dstOverlap, "dstOverlap is null");
    requireNonNull(misfire, "misfire is null");
    requireNonNull(misfireThreshold, "misfireThreshold is null");
    requireNonNull(overlap, "overlap is null");
    parameters = ImmutableMap.copyOf(requireNonNull(parameters, "parameters is null"));
  }

  /**
   * Starts a spec with the defaults: zone UTC, no bounds, DST gap {@code RUN_AT_NEXT_VALID},
   * overlap {@code ONCE}, misfire {@code FIRE_ONCE} after 60 s, overlap policy {@code QUEUE}.
   */
  public static Builder builder(String name, String workflowName, String cron) {
    return new Builder(name, workflowName, cron);
  }

  public Builder toBuilder() {
    Builder b = new Builder(name, workflowName, cron);
    b.zone = zone;
    b.startAt = startAt.orElse(null);
    b.endAt = endAt.orElse(null);
    b.dstGap = dstGap;
    b.dstOverlap = dstOverlap;
    b.misfire = misfire;
    b.misfireThreshold = misfireThreshold;
    b.overlap = overlap;
    b.parameters.putAll(parameters);
    b.paused = paused;
    return b;
  }

  /** Builds a {@link ScheduleSpec}; checked when it is saved. Not thread-safe. */
  public static final class Builder {
    private final String name;
    private final String workflowName;
    private final String cron;
    private ZoneId zone = ZoneId.of("UTC");
    private Instant startAt;
    private Instant endAt;
    private DstGap dstGap = DstGap.RUN_AT_NEXT_VALID;
    private DstOverlap dstOverlap = DstOverlap.ONCE;
    private MisfirePolicy misfire = MisfirePolicy.fireOnce();
    private Duration misfireThreshold = DEFAULT_MISFIRE_THRESHOLD;
    private OverlapPolicy overlap = OverlapPolicy.queue();
    private final Map<String, String> parameters = new LinkedHashMap<>();
    private boolean paused;

    private Builder(String name, String workflowName, String cron) {
      this.name = requireNonNull(name, "name is null");
      this.workflowName = requireNonNull(workflowName, "workflowName is null");
      this.cron = requireNonNull(cron, "cron is null");
    }

    public Builder zone(ZoneId zone) {
      this.zone = requireNonNull(zone, "zone is null");
      return this;
    }

    public Builder zone(String zone) {
      return zone(ZoneId.of(requireNonNull(zone, "zone is null")));
    }

    public Builder startAt(Instant startAt) {
      this.startAt = startAt;
      return this;
    }

    public Builder endAt(Instant endAt) {
      this.endAt = endAt;
      return this;
    }

    public Builder dst(DstGap gap, DstOverlap overlap) {
      this.dstGap = requireNonNull(gap, "gap is null");
      this.dstOverlap = requireNonNull(overlap, "overlap is null");
      return this;
    }

    public Builder misfire(MisfirePolicy misfire) {
      this.misfire = requireNonNull(misfire, "misfire is null");
      return this;
    }

    public Builder misfireThreshold(Duration threshold) {
      this.misfireThreshold = requireNonNull(threshold, "threshold is null");
      return this;
    }

    public Builder overlap(OverlapPolicy overlap) {
      this.overlap = requireNonNull(overlap, "overlap is null");
      return this;
    }

    public Builder parameter(String key, String value) {
      parameters.put(requireNonNull(key, "key is null"), requireNonNull(value, "value is null"));
      return this;
    }

    public Builder paused(boolean paused) {
      this.paused = paused;
      return this;
    }

    public ScheduleSpec build() {
      return new ScheduleSpec(
          name,
          workflowName,
          cron,
          zone,
          Optional.ofNullable(startAt),
          Optional.ofNullable(endAt),
          dstGap,
          dstOverlap,
          misfire,
          misfireThreshold,
          overlap,
          parameters,
          paused);
    }
  }
}
