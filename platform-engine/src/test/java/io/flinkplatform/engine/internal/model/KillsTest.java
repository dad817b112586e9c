package io.flinkplatform.engine.internal.model;

import static io.flinkplatform.engine.internal.model.Fixtures.attempt;
import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskState;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Kills as tables: which of a run's latest attempts a kill ends KILLED (with no graph: a run whose
 * version cannot be read is killed all the same), and what an attempt claimed to start becomes in a
 * run of each state.
 */
class KillsTest {

  @ParameterizedTest(name = "{0} -> killed {1}")
  @CsvSource(
      delimiter = ';',
      value = {
        "a=WAI; a",
        "a=REA; a",
        "a=RUN; ''",
        "a=RUN*; ''",
        "a=SUC; ''",
        "a=FAI; ''",
        "a=KIL; ''",
        "a=SKI; ''",
        "a=UPF; ''",
        "a=SUC, b=REA, c=RUN, d=WAI, e=UPF; b d",
        "a=FAI, b=KIL; ''",
      })
  void aKillEndsTheAttemptsThatNeverStarted(String attempts, String killed) {
    Map<String, Attempt> latest = new LinkedHashMap<>();
    long id = 100;
    for (String p : attempts.split(",")) {
      String[] kv = p.split("=", 2);
      Attempt a = attempt(kv[1]);
      latest.put(kv[0].trim(), new Attempt(id++, 1, 0, a.state(), null, a.released()));
    }

    Map<String, Attempt> before = Map.copyOf(latest);

    Map<String, Attempt> out = RunModel.killedBeforeStart(latest);

    assertThat(String.join(" ", out.keySet())).isEqualTo(killed);
    out.forEach(
        (t, a) -> {
          assertThat(a.state()).isEqualTo(TaskState.KILLED);
          assertThat(a.id()).isEqualTo(latest.get(t).id());
          assertThat(a.number()).isEqualTo(latest.get(t).number());
        });
    assertThat(latest).as("the attempts given are left as they were").isEqualTo(before);
  }

  @ParameterizedTest(name = "claimed in a {0} run -> {1}")
  @CsvSource({"RUNNING, RUNNING", "KILLING, KILLED"})
  void anAttemptClaimedInARunBeingKilledEndsKilledInsteadOfStarting(
      RunState run, TaskState expected) {
    assertThat(RunModel.claimedIn(run)).isEqualTo(expected);
  }
}
