package io.flinkplatform.engine.internal.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.run.TaskState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * "A task's state is its latest attempt's": rows as read (task:attempt:state, in read order) and
 * the latest state of each task. Of equal attempt numbers the first read stays.
 */
class LatestAttemptsTest {
  private record Row(String task, int attempt, String state) {}

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = ';',
      value = {
        "a:1:FAILED; a=FAILED",
        "a:1:FAILED a:2:SUCCESS; a=SUCCESS",
        "a:2:SUCCESS a:1:FAILED; a=SUCCESS",
        "a:1:FAILED a:3:READY a:2:FAILED; a=READY",
        "a:1:SUCCESS b:1:SKIPPED b:2:WAITING a:2:RUNNING; a=RUNNING b=WAITING",
        "a:2:SUCCESS a:2:FAILED; a=SUCCESS",
        "b:1:SKIPPED a:1:SUCCESS; a=SUCCESS b=SKIPPED",
        "; ''",
      })
  void latest(String rows, String expected) {
    List<Row> read = new ArrayList<>();
    if (rows != null) {
      for (String r : rows.trim().split("\\s+")) {
        String[] p = r.split(":");
        read.add(new Row(p[0], Integer.parseInt(p[1]), p[2]));
      }
    }
    Map<String, Row> latest = LatestAttempts.of(read, Row::task, Row::attempt);
    assertThat(render(latest)).isEqualTo(expected == null ? "" : expected);
    // the model applies the same rule to what its caller loads
    RunModel m = RunModel.running(Fixtures.graph("a", "b"));
    read.forEach(r -> m.load(r.task(), Attempt.of(1, r.attempt(), TaskState.valueOf(r.state()))));
    Map<String, String> fromModel = new TreeMap<>();
    m.states().forEach((t, s) -> fromModel.put(t, s.name()));
    assertThat(render2(fromModel)).isEqualTo(expected == null ? "" : expected);
  }

  private static String render(Map<String, Row> latest) {
    Map<String, String> sorted = new TreeMap<>();
    latest.forEach((t, r) -> sorted.put(t, r.state()));
    return render2(sorted);
  }

  private static String render2(Map<String, String> sorted) {
    List<String> out = new ArrayList<>();
    sorted.forEach((t, s) -> out.add(t + "=" + s));
    return String.join(" ", out);
  }
}
