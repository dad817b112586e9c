package io.flinkplatform.engine.schedule;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableMap;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs of a workflow for every logical date a cron expression gives between two instants
 * (inclusive), started in logical-date order with at most {@code parallelism} active at once. Build
 * one with {@link #builder(String)}.
 *
 * @param workflowName the workflow (its latest version)
 * @param from first logical date considered (inclusive)
 * @param to last logical date considered (inclusive)
 * @param cron the dates: every match of this cron expression in {@code [from, to]}
 * @param zone the zone the expression is read in
 * @param parallelism how many of its runs may be active at once; 1 runs them one after another
 * @param parameters the runs' parameters
 */
public record BackfillRequest(
    String workflowName,
    Instant from,
    Instant to,
    String cron,
    ZoneId zone,
    int parallelism,
    Map<String, String> parameters) {

  /** At most this many runs per backfill. */
  public static final int MAX_RUNS = 10_000;

  public BackfillRequest {
    requireNonNull(workflowName, "workflowName is null");
    requireNonNull(from, "from is null");
    requireNonNull(to, "to is null");
    requireNonNull(cron, "cron is null");
    requireNonNull(zone, "zone is null");
    parameters = ImmutableMap.copyOf(requireNonNull(parameters, "parameters is null"));
  }

  public static Builder builder(String workflowName) {
    return new Builder(workflowName);
  }

  /** Builds a {@link BackfillRequest}; checked when it is submitted. Not thread-safe. */
  public static final class Builder {
    private final String workflowName;
    private Instant from;
    private Instant to;
    private String cron = "0 0 * * *";
    private ZoneId zone = ZoneId.of("UTC");
    private int parallelism = 1;
    private final Map<String, String> parameters = new LinkedHashMap<>();

    private Builder(String workflowName) {
      this.workflowName = requireNonNull(workflowName, "workflowName is null");
    }

    /**
     * One run per day at midnight in {@code zone}, for every day from {@code first} to {@code
     * last}.
     */
    public Builder daily(LocalDate first, LocalDate last, ZoneId zone) {
      this.zone = requireNonNull(zone, "zone is null");
      this.from = first.atStartOfDay(zone).toInstant();
      this.to = last.atStartOfDay(zone).toInstant();
      this.cron = "0 0 * * *";
      return this;
    }

    /** Runs for every match of {@code cron} (read in {@code zone}) in {@code [from, to]}. */
    public Builder range(Instant from, Instant to, String cron, ZoneId zone) {
      this.from = requireNonNull(from, "from is null");
      this.to = requireNonNull(to, "to is null");
      this.cron = requireNonNull(cron, "cron is null");
      this.zone = requireNonNull(zone, "zone is null");
      return this;
    }

    /** How many runs may be active at once (default 1: one after another, in order). */
    public Builder parallelism(int parallelism) {
      this.parallelism = parallelism;
      return this;
    }

    public Builder parameter(String key, String value) {
      parameters.put(requireNonNull(key, "key is null"), requireNonNull(value, "value is null"));
      return this;
    }

    public BackfillRequest build() {
      requireNonNull(from, "call daily(...) or range(...) first");
      return new BackfillRequest(workflowName, from, to, cron, zone, parallelism, parameters);
    }
  }
}
