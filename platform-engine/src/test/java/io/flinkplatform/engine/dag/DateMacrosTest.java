package io.flinkplatform.engine.dag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinkplatform.engine.InvalidRequestException;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class DateMacrosTest {
  private static final Instant LD = Instant.parse("2026-03-15T23:30:00Z");

  private static String r(String v, String zone) {
    return DateMacros.render("p", v, LD, ZoneId.of(zone));
  }

  @Test
  void rendersAgainstTheLogicalDateInTheRunsZone() {
    assertThat(r("${date}", "UTC")).isEqualTo("2026-03-15");
    assertThat(r("${date}", "Europe/Berlin")).isEqualTo("2026-03-16");
    assertThat(r("dt=${date-1d:yyyyMMdd}/h=${date:HH}", "UTC")).isEqualTo("dt=20260314/h=23");
    assertThat(r("${date+1h-30m:yyyy-MM-dd HH:mm}", "UTC")).isEqualTo("2026-03-16 00:00");
    assertThat(r("${month_start:yyyy-MM-dd}", "UTC")).isEqualTo("2026-03-01");
    assertThat(r("${month_end-1M:yyyy-MM-dd}", "UTC")).isEqualTo("2026-02-28");
    assertThat(r("${week_start}..${week_end}", "UTC")).isEqualTo("2026-03-09..2026-03-15");
    assertThat(r("${year_start-1y}", "UTC")).isEqualTo("2025-01-01");
    assertThat(r("cost $${date} ${date:yyyy}", "UTC")).isEqualTo("cost ${date} 2026");
    assertThat(r("no macros; $HOME stays", "UTC")).isEqualTo("no macros; $HOME stays");
  }

  @Test
  void offsetsBeyondLongOrTheYearsAreTypedErrorsNamingTheField() {
    assertThatThrownBy(() -> r("${date+99999999999999999999d}", "UTC"))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("p"))
        .hasMessageContaining("has an offset that is not a 64-bit number");
    assertThatThrownBy(() -> r("${date+999999999y}", "UTC"))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("p"))
        .hasMessageContaining("moves the date out of range");
    assertThatThrownBy(() -> r("${date+9223372036854775807s}", "UTC"))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void malformedMacrosNameTheFieldAndTheAnchors() {
    assertThatThrownBy(() -> r("${today}", "UTC"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageStartingWith("p: '${today}' is not a date macro")
        .hasMessageContaining("[date, month_start");
    assertThatThrownBy(() -> r("${date:yyyy-qq-bb}", "UTC"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("is not a date pattern");
  }
}
