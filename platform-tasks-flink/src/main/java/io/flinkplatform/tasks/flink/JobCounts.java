package io.flinkplatform.tasks.flink;

import io.flinkplatform.spi.PluginMeters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.flink.api.common.JobStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The meter {@value #METER}: the platform's Flink jobs that have not ended, one gauge per state
 * (tag {@code state}: {@code SUBMITTED} before the first poll, then Flink's job states that are not
 * globally terminal; any other stored state counts as {@value #OTHER}). A scrape reads a cached
 * count; the first read after {@link #MAX_AGE} refreshes it with one grouped count of the open rows
 * of {@code t_flink_job} ({@link FlinkJobStore#openByState}), so the database sees at most one
 * query per {@link #MAX_AGE} however often the registry is scraped. While that query fails, and
 * after the plugin stopped, the gauges read NaN rather than a stale number.
 */
final class JobCounts {
  private static final Logger LOG = LoggerFactory.getLogger(JobCounts.class);

  static final String METER = "flinkplatform.flink.jobs";

  /** The longest a scrape reads an old count. */
  static final Duration MAX_AGE = Duration.ofSeconds(5);

  /** The tag value of an open job in a state not among {@link #STATES}. */
  static final String OTHER = "other";

  /** The tag values: the states an open job is stored in. */
  static final List<String> STATES = states();

  private final Supplier<Map<String, Long>> read;
  private final long maxAgeNanos;

  // guarded by this
  private Map<String, Long> counts = Map.of(); // null while the last read failed
  private long readAt;
  private boolean fresh;
  private boolean closed;

  JobCounts(Supplier<Map<String, Long>> read, Duration maxAge) {
    this.read = read;
    this.maxAgeNanos = maxAge.toNanos();
  }

  /** Counts the open jobs of {@code jobs} and registers a gauge per state on {@code meters}. */
  static JobCounts register(PluginMeters meters, FlinkJobStore jobs) {
    JobCounts counts = new JobCounts(jobs::openByState, MAX_AGE);
    for (String state : STATES) {
      meters.gauge(
          METER,
          "Flink jobs of the platform that have not ended, by last polled state",
          Map.of("state", state),
          () -> counts.count(state));
    }
    return counts;
  }

  /** The open jobs in {@code state}, read again if older than the maximum age; null if unknown. */
  synchronized Long count(String state) {
    if (closed) {
      return null;
    }
    // the age is measured on the JVM's monotonic clock: a rate limit on scrapes, not platform time
    long now = System.nanoTime();
    if (!fresh || now - readAt >= maxAgeNanos) {
      refresh();
      readAt = now;
      fresh = true;
    }
    return counts == null ? null : counts.getOrDefault(state, 0L);
  }

  private void refresh() {
    try {
      Map<String, Long> byState = new HashMap<>();
      read.get().forEach((s, n) -> byState.merge(STATES.contains(s) ? s : OTHER, n, Long::sum));
      if (counts == null) {
        LOG.info("counting Flink jobs by state works again");
      }
      counts = byState;
    } catch (RuntimeException e) {
      if (counts != null) {
        LOG.warn("cannot count Flink jobs by state; the gauges {} read NaN until it can", METER, e);
      }
      counts = null;
    }
  }

  /** The plugin stopped: the gauges read NaN from now on, and nothing is queried. */
  synchronized void close() {
    closed = true;
    counts = null;
  }

  private static List<String> states() {
    List<String> states = new ArrayList<>();
    states.add("SUBMITTED");
    for (JobStatus s : JobStatus.values()) {
      if (!s.isGloballyTerminalState()) {
        states.add(s.name());
      }
    }
    states.add(OTHER);
    return Collections.unmodifiableList(states);
  }
}
