package io.flinkplatform.tasks.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The cache behind {@value JobCounts#METER}: scrapes read one count per maximum age, unknown states
 * count as {@value JobCounts#OTHER}, a failed read gives NaN (null), a stopped plugin reads
 * nothing.
 */
class JobCountsTest {
  private final AtomicInteger reads = new AtomicInteger();
  private final Map<String, Long> stored = new HashMap<>();
  private RuntimeException failure;

  private final Supplier<Map<String, Long>> reader =
      () -> {
        reads.incrementAndGet();
        if (failure != null) {
          throw failure;
        }
        return Map.copyOf(stored);
      };

  @Test
  void scrapesWithinTheMaximumAgeReadTheCachedCountsOfOneQuery() {
    stored.put("RUNNING", 2L);
    stored.put("RESTARTING", 1L);
    stored.put("SOMETHING_NEW", 4L);
    JobCounts counts = new JobCounts(reader, Duration.ofHours(1));

    for (int scrape = 0; scrape < 5; scrape++) {
      for (String state : JobCounts.STATES) {
        counts.count(state);
      }
    }
    assertThat(reads).hasValue(1);
    assertThat(counts.count("RUNNING")).isEqualTo(2);
    assertThat(counts.count("RESTARTING")).isEqualTo(1);
    assertThat(counts.count("FAILING")).isZero();
    assertThat(counts.count(JobCounts.OTHER)).isEqualTo(4);

    counts.close();
    assertThat(counts.count("RUNNING")).isNull();
    assertThat(reads).hasValue(1);
  }

  @Test
  void anOldCountIsReadAgainAndAFailedReadGivesNoNumber() {
    JobCounts counts = new JobCounts(reader, Duration.ZERO);
    stored.put("RUNNING", 1L);
    assertThat(counts.count("RUNNING")).isEqualTo(1);
    stored.put("RUNNING", 3L);
    assertThat(counts.count("RUNNING")).isEqualTo(3);

    failure = new IllegalStateException("database down");
    assertThat(counts.count("RUNNING")).isNull();
    failure = null;
    assertThat(counts.count("RUNNING")).isEqualTo(3);
    assertThat(reads).hasValue(4);
  }

  @Test
  void theStatesAreTheOpenOnesOnly() {
    assertThat(JobCounts.STATES)
        .contains("SUBMITTED", "RUNNING", "RESTARTING", "FAILING", "CANCELLING", JobCounts.OTHER)
        .doesNotContain("FINISHED", "FAILED", "CANCELED");
  }
}
