package io.flinkplatform.tasks.logic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class WindowTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  // Wednesday 2024-03-13 14:30 in Berlin (13:30 UTC)
  private static final Instant L = LocalDateTime.of(2024, 3, 13, 14, 30).atZone(BERLIN).toInstant();

  private static Instant at(int month, int day, int hour) {
    return LocalDateTime.of(2024, month, day, hour, 0).atZone(BERLIN).toInstant();
  }

  private static void assertWindow(String name, Instant from, Instant to) {
    Window w = Window.parse(name);
    assertThat(w.from(L, BERLIN)).as(name + " from").isEqualTo(from);
    assertThat(w.to(L, BERLIN)).as(name + " to").isEqualTo(to);
  }

  @Test
  void windowsAreReadInTheZone() {
    assertWindow("same_day", at(3, 13, 0), at(3, 14, 0));
    assertWindow("same_hour", at(3, 13, 14), at(3, 13, 15));
    assertWindow("previous_hour", at(3, 13, 13), at(3, 13, 14));
    assertWindow("previous_day", at(3, 12, 0), at(3, 13, 0));
    assertWindow("same_week", at(3, 11, 0), at(3, 18, 0));
    assertWindow("previous_week", at(3, 4, 0), at(3, 11, 0));
    assertWindow("same_month", at(3, 1, 0), at(4, 1, 0));
    assertWindow("previous_month", at(2, 1, 0), at(3, 1, 0));
    assertWindow("last_6_hours", L.minusSeconds(6 * 3600), L);
    assertWindow(
        "LAST_2_DAYS", LocalDateTime.of(2024, 3, 11, 14, 30).atZone(BERLIN).toInstant(), L);
  }

  @Test
  void aDayAcrossTheSpringChangeHas23Hours() {
    Instant march31 = LocalDateTime.of(2024, 3, 31, 12, 0).atZone(BERLIN).toInstant();
    Window day = Window.parse("same_day");
    assertThat(
            day.to(march31, BERLIN).getEpochSecond() - day.from(march31, BERLIN).getEpochSecond())
        .isEqualTo(23 * 3600);
  }

  @Test
  void unknownWindowsListTheAcceptedOnes() {
    assertThatThrownBy(() -> Window.parse("next_day"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("same_day")
        .hasMessageContaining("last_<n>_hours");
    assertThatThrownBy(() -> Window.parse("last_0_hours")).hasMessageContaining("at least 1");
  }

  @Test
  void itemsParseWorkflowTaskAndWindow() {
    DependentItem i = DependentItem.parse("daily.sales/load-1@previous_day");
    assertThat(i.workflow()).isEqualTo("daily.sales");
    assertThat(i.task()).contains("load-1");
    assertThat(i.window().orElseThrow().name()).isEqualTo("previous_day");
    assertThat(DependentItem.parse("up").task()).isEmpty();
    assertThatThrownBy(() -> DependentItem.parse("a/b/c/d")).hasMessageContaining("workflow/task");
    assertThatThrownBy(() -> DependentItem.parse("a/")).hasMessageContaining("workflow/task");
    assertThatThrownBy(() -> DependentItem.parse("a//c")).hasMessageContaining("workflow/task");
  }

  @Test
  void itemsNameAnotherWorkspacesWorkflowWithThreeParts() {
    DependentItem task = DependentItem.parse("finance/dw/load@previous_day");
    assertThat(task.workflow()).isEqualTo("finance/dw");
    assertThat(task.task()).contains("load");
    assertThat(task.describe()).isEqualTo("finance/dw/load");
    DependentItem runs = DependentItem.parse("finance/dw/*");
    assertThat(runs.workflow()).isEqualTo("finance/dw");
    assertThat(runs.task()).isEmpty();
    assertThat(runs.describe()).isEqualTo("finance/dw/*");
    assertThatThrownBy(() -> DependentItem.parse("Finance/dw/*"))
        .hasMessageContaining("workspace name 'Finance' is not allowed");
  }
}
