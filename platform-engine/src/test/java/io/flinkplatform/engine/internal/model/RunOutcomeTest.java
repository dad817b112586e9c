package io.flinkplatform.engine.internal.model;

import static io.flinkplatform.engine.internal.model.Fixtures.graph;
import static io.flinkplatform.engine.internal.model.Fixtures.state;
import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskState;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Run outcomes as a table: the run's state while closing, its graph ({@code unreadable} for a
 * version that cannot be read), each task's latest state, and how the run ends.
 */
class RunOutcomeTest {

  @ParameterizedTest(name = "{0}: {1} / {2} -> {3}")
  @CsvSource(
      delimiter = ';',
      value = {
        "RUNNING; a / b <- a; a=SUC, b=SUC; SUCCESS",
        "RUNNING; a / b <- a; a=SUC, b=SKI; SUCCESS",
        "RUNNING; a / b <- a; a=FAI, b=UPF; FAILED",
        "RUNNING; a / b <- a; a=SUC, b=FAI; FAILED",
        "RUNNING; a / b <- a; a=KIL, b=UPF; FAILED",
        "RUNNING; a / b <- a; a=SUC, b=KIL; FAILED",
        "RUNNING; a / b <- a; a=SKI, b=SKI; SUCCESS",
        // a failure handled by a FAILURE or ALWAYS edge does not fail the run
        "RUNNING; a / b <- a FAILURE; a=FAI, b=SUC; SUCCESS",
        "RUNNING; a / b <- a ALWAYS; a=FAI, b=SUC; SUCCESS",
        "RUNNING; a / b <- a FAILURE; a=FAI, b=FAI; FAILED",
        "RUNNING; a / b <- a RUNNING; a=FAI, b=SUC; FAILED",
        "RUNNING; a / b <- a, c FAILURE; a=SUC, c=FAI, b=SKI; SUCCESS",
        // the handler's own failure, or an upstream failure behind it, still fails the run
        "RUNNING; a / b <- a FAILURE / c <- b; a=FAI, b=SUC, c=UPF; FAILED",
        // a decision's failure is its "false"
        "RUNNING; c decision / b <- c; c=FAI, b=SKI; SUCCESS",
        "RUNNING; c decision / b <- c; c=SUC, b=FAI; FAILED",
        // a kill ends the run KILLED, whatever its tasks did
        "KILLING; a / b <- a; a=SUC, b=SUC; KILLED",
        "KILLING; a / b <- a; a=KIL, b=KIL; KILLED",
        // an unreadable version fails its runs
        "RUNNING; unreadable; a=SUC; FAILED",
        "KILLING; unreadable; a=SUC; KILLED",
      })
  void outcome(RunState current, String spec, String states, RunState expected) {
    TaskGraph g = spec.equals("unreadable") ? null : graph(spec.split("\\s*/\\s*"));
    Map<String, TaskState> latest = new LinkedHashMap<>();
    for (String p : states.split(",")) {
      String[] kv = p.trim().split("=");
      latest.put(kv[0], state(kv[1]));
    }
    assertThat(RunOutcome.of(current, g, latest)).isEqualTo(expected);
    if (g != null) {
      RunModel m = new RunModel(g, current);
      latest.forEach((t, s) -> m.load(t, Attempt.of(1, 1, s)));
      assertThat(m.outcome()).isEqualTo(expected);
    }
  }
}
