package io.flinkplatform.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.schedule.ScheduleSpec;
import io.flinkplatform.engine.testing.Sql;
import io.flinkplatform.engine.testing.TestPlatforms;
import org.junit.jupiter.api.Test;

/** Schedule names follow the rule of workflow names: they go into logs and events. */
class ScheduleNameTest {

  @Test
  void namesWithControlCharactersOrSpacesAreRefusedByFieldAndLeaveNoRow() {
    try (TestPlatforms platforms = new TestPlatforms()) {
      PlatformClient client = platforms.start("names", b -> b.workerThreads(0)).client();
      client.deploy(Workflow.builder("quick").task("a", "noop").build());
      for (String name :
          new String[] {
            "a\nINFO forged", "tab\there", "a\u001b[31mred", "has space", "-lead", ""
          }) {
        InvalidRequestException e =
            catchThrowableOfType(
                InvalidRequestException.class,
                () ->
                    client.saveSchedule(ScheduleSpec.builder(name, "quick", "* * * * *").build()));
        assertThat(e).as("refused: %s", name.replace("\n", "\\n")).isNotNull();
        assertThat(e.field()).isEqualTo("name");
        assertThat(e.getMessage())
            .contains("letters, digits")
            .contains("[A-Za-z0-9]")
            .doesNotContain("\n")
            .doesNotContain("forged");
      }
      assertThat(client.schedules()).isEmpty();
      assertThat(Sql.single(platforms.dataSource(), "SELECT COUNT(*) FROM t_schedule")).isZero();

      client.saveSchedule(
          ScheduleSpec.builder("daily-sales_0230.v2", "quick", "0 3 * * *").build());
      assertThat(client.schedules()).hasSize(1);
      String longest = "s".repeat(128);
      client.saveSchedule(ScheduleSpec.builder(longest, "quick", "0 3 * * *").build());
      assertThat(
              catchThrowableOfType(
                      InvalidRequestException.class,
                      () ->
                          client.saveSchedule(
                              ScheduleSpec.builder(longest + "s", "quick", "0 3 * * *").build()))
                  .field())
          .isEqualTo("name");
      assertThat(client.schedules()).hasSize(2);
    }
  }
}
