package io.flinkplatform.engine.internal.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.schedule.FireTime;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The DST notes of the schedules page, on fire times around Berlin's transitions. */
class SchedulesPageTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  private static FireTime at(String instant, Optional<String> note) {
    Instant i = Instant.parse(instant);
    return new FireTime(i, LocalDateTime.ofInstant(i, BERLIN), note);
  }

  @Test
  void anOffsetChangeBetweenTwoFireTimesIsNotedOnTheLaterOne() {
    List<String> notes =
        SchedulesPage.dstNotes(
            List.of(
                at("2027-03-27T01:30:00Z", Optional.empty()),
                at("2027-03-29T00:30:00Z", Optional.empty()),
                at("2027-03-30T00:30:00Z", Optional.empty())),
            BERLIN);
    assertThat(notes).containsExactly("", "DST: UTC offset +01:00 → +02:00", "");
  }

  @Test
  void thePreviewsOwnNoteComesFirstAndBothAreKept() {
    List<String> notes =
        SchedulesPage.dstNotes(
            List.of(
                at("2027-10-30T00:30:00Z", Optional.empty()),
                at("2027-10-31T01:30:00Z", Optional.of("02:30 happens twice; fired once"))),
            BERLIN);
    assertThat(notes)
        .containsExactly("", "DST: 02:30 happens twice; fired once; UTC offset +02:00 → +01:00");
  }

  @Test
  void noTransitionNoNote() {
    assertThat(
            SchedulesPage.dstNotes(
                List.of(at("2027-06-01T00:00:00Z", Optional.empty())), ZoneId.of("UTC")))
        .containsExactly("");
  }
}
