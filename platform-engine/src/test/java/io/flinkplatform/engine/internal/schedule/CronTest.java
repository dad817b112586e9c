package io.flinkplatform.engine.internal.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinkplatform.engine.InvalidRequestException;
import io.flinkplatform.engine.schedule.DstGap;
import io.flinkplatform.engine.schedule.DstOverlap;
import io.flinkplatform.engine.schedule.FireTime;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class CronTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  private static List<Instant> fires(
      String cron, ZoneId zone, DstGap gap, DstOverlap overlap, String from, int n) {
    return Cron.parse(cron, zone, gap, overlap).preview(Instant.parse(from), n, null).stream()
        .map(FireTime::instant)
        .toList();
  }

  @Test
  void unixAndQuartzSyntaxBothWork() {
    assertThat(
            fires(
                "30 2 * * *",
                ZoneId.of("UTC"),
                DstGap.SKIP,
                DstOverlap.ONCE,
                "2026-01-01T00:00:00Z",
                2))
        .containsExactly(
            Instant.parse("2026-01-01T02:30:00Z"), Instant.parse("2026-01-02T02:30:00Z"));
    assertThat(
            fires(
                "15 30 2 * * ?",
                ZoneId.of("UTC"),
                DstGap.SKIP,
                DstOverlap.ONCE,
                "2026-01-01T00:00:00Z",
                1))
        .containsExactly(Instant.parse("2026-01-01T02:30:15Z"));
  }

  @Test
  void badExpressionsNameTheFieldAndTheAcceptedForms() {
    assertThatThrownBy(() -> Cron.parse("* * *", BERLIN, DstGap.SKIP, DstOverlap.ONCE))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("cron:")
        .hasMessageContaining("expected 5 (Unix");
    assertThatThrownBy(() -> Cron.parse("0 61 * * *", BERLIN, DstGap.SKIP, DstOverlap.ONCE))
        .isInstanceOf(InvalidRequestException.class)
        .satisfies(e -> assertThat(((InvalidRequestException) e).field()).isEqualTo("cron"));
  }

  @Test
  void berlinSpringForwardSkipsOrRunsAtTheEndOfTheGap() {
    // 2026-03-29: 02:00 CET becomes 03:00 CEST (01:00Z); 02:30 does not exist
    assertThat(fires("30 2 * * *", BERLIN, DstGap.SKIP, DstOverlap.ONCE, "2026-03-28T12:00:00Z", 2))
        .containsExactly(
            Instant.parse("2026-03-30T00:30:00Z"), Instant.parse("2026-03-31T00:30:00Z"));
    assertThat(
            fires(
                "30 2 * * *",
                BERLIN,
                DstGap.RUN_AT_NEXT_VALID,
                DstOverlap.ONCE,
                "2026-03-28T12:00:00Z",
                2))
        .containsExactly(
            Instant.parse("2026-03-29T01:00:00Z"), Instant.parse("2026-03-30T00:30:00Z"));
  }

  @Test
  void berlinFallBackRunsOnceOrTwice() {
    // 2026-10-25: 03:00 CEST becomes 02:00 CET (01:00Z); 02:30 happens at 00:30Z and 01:30Z
    assertThat(fires("30 2 * * *", BERLIN, DstGap.SKIP, DstOverlap.ONCE, "2026-10-24T12:00:00Z", 2))
        .containsExactly(
            Instant.parse("2026-10-25T00:30:00Z"), Instant.parse("2026-10-26T01:30:00Z"));
    assertThat(
            fires("30 2 * * *", BERLIN, DstGap.SKIP, DstOverlap.TWICE, "2026-10-24T12:00:00Z", 3))
        .containsExactly(
            Instant.parse("2026-10-25T00:30:00Z"),
            Instant.parse("2026-10-25T01:30:00Z"),
            Instant.parse("2026-10-26T01:30:00Z"));
  }

  @Test
  void newYorkTransitions() {
    // 2026-03-08: 02:00 EST becomes 03:00 EDT (07:00Z)
    assertThat(
            fires(
                "30 2 * * *",
                NEW_YORK,
                DstGap.RUN_AT_NEXT_VALID,
                DstOverlap.ONCE,
                "2026-03-07T12:00:00Z",
                2))
        .containsExactly(
            Instant.parse("2026-03-08T07:00:00Z"), Instant.parse("2026-03-09T06:30:00Z"));
    // 2026-11-01: 02:00 EDT becomes 01:00 EST (06:00Z); 01:30 happens at 05:30Z and 06:30Z
    assertThat(
            fires("30 1 * * *", NEW_YORK, DstGap.SKIP, DstOverlap.TWICE, "2026-10-31T12:00:00Z", 3))
        .containsExactly(
            Instant.parse("2026-11-01T05:30:00Z"),
            Instant.parse("2026-11-01T06:30:00Z"),
            Instant.parse("2026-11-02T06:30:00Z"));
  }

  @Test
  void anHourlyScheduleAcrossFallBackSearchedFromInsideTheRepeatedHour() {
    // searching from the first 02:30 (00:30Z) must still find the repeated 02:00 and 02:30 at
    // 01:xxZ
    assertThat(
            fires("*/30 * * * *", BERLIN, DstGap.SKIP, DstOverlap.TWICE, "2026-10-25T00:30:00Z", 3))
        .containsExactly(
            Instant.parse("2026-10-25T01:00:00Z"),
            Instant.parse("2026-10-25T01:30:00Z"),
            Instant.parse("2026-10-25T02:00:00Z"));
  }

  @Test
  void previewNotesWhatTheTransitionDoes() {
    List<FireTime> f =
        Cron.parse("30 2 * * *", BERLIN, DstGap.SKIP, DstOverlap.ONCE)
            .preview(Instant.parse("2026-03-28T12:00:00Z"), 1, null);
    assertThat(f.get(0).note()).hasValueSatisfying(n -> assertThat(n).contains("skipped"));
    f =
        Cron.parse("30 2 * * *", BERLIN, DstGap.SKIP, DstOverlap.TWICE)
            .preview(Instant.parse("2026-10-24T12:00:00Z"), 2, null);
    assertThat(f.get(1).note()).hasValueSatisfying(n -> assertThat(n).contains("second run"));
  }
}
