package io.flinkplatform.engine.internal.model;

import static io.flinkplatform.engine.internal.model.Fixtures.graph;
import static io.flinkplatform.engine.internal.model.Fixtures.upstream;
import static io.flinkplatform.engine.internal.model.Fixtures.verdict;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.flinkplatform.engine.dag.Edge;
import io.flinkplatform.engine.dag.EdgeCondition;
import io.flinkplatform.engine.run.TaskState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The trigger-rule decision as tables: every trigger rule × edge condition × upstream outcome for
 * one edge; every rule × the outcomes of two upstream tasks; decisions (conditions); branches.
 * Verdicts: W wait, R READY, S SKIPPED, U UPSTREAM_FAILED. Upstream codes: {@code -} unknown, the
 * first three letters of a state, {@code *} released while running, {@code d} an upstream that is a
 * decision (condition) task, {@code [x]} the branches a success chose.
 */
class TriggerRulesTest {

  /** One edge {@code u -> t}: rows are (rule, edge condition), columns the upstream's attempt. */
  private static final String ONE_EDGE =
      """
      rule          on       | -  WAI REA RUN RUN* SUC SUC* FAI FAI* FAId KIL KIL* SKI UPF
      ALL_MATCHED   SUCCESS  | W  W   W   W   W    R   R    U   U    S    U   U    S   U
      ALL_MATCHED   FAILURE  | W  W   W   W   W    S   S    R   R    R    U   U    S   U
      ALL_MATCHED   ALWAYS   | W  W   W   W   W    R   R    R   R    R    U   U    S   U
      ALL_MATCHED   RUNNING  | W  W   W   W   R    R   R    U   R    S    U   R    S   U
      ANY_MATCHED   SUCCESS  | W  W   W   W   W    R   R    U   U    S    U   U    S   U
      ANY_MATCHED   FAILURE  | W  W   W   W   W    S   S    R   R    R    U   U    S   U
      ANY_MATCHED   ALWAYS   | W  W   W   W   W    R   R    R   R    R    U   U    S   U
      ANY_MATCHED   RUNNING  | W  W   W   W   R    R   R    U   R    S    U   R    S   U
      ALL_DONE      SUCCESS  | W  W   W   W   W    R   R    R   R    R    R   R    R   R
      ALL_DONE      FAILURE  | W  W   W   W   W    R   R    R   R    R    R   R    R   R
      ALL_DONE      ALWAYS   | W  W   W   W   W    R   R    R   R    R    R   R    R   R
      ALL_DONE      RUNNING  | W  W   W   W   R    R   R    R   R    R    R   R    R   R
      ANY_DONE      SUCCESS  | W  W   W   W   W    R   R    R   R    R    R   R    R   R
      ANY_DONE      FAILURE  | W  W   W   W   W    R   R    R   R    R    R   R    R   R
      ANY_DONE      ALWAYS   | W  W   W   W   W    R   R    R   R    R    R   R    R   R
      ANY_DONE      RUNNING  | W  W   W   W   R    R   R    R   R    R    R   R    R   R
      decision      SUCCESS  | W  W   W   W   W    R   R    R   R    R    R   R    R   R
      decision      FAILURE  | W  W   W   W   W    R   R    R   R    R    R   R    R   R
      decision      ALWAYS   | W  W   W   W   W    R   R    R   R    R    R   R    R   R
      decision      RUNNING  | W  W   W   W   W    R   R    R   R    R    R   R    R   R
      """;

  @TestFactory
  Stream<DynamicTest> oneEdge() {
    List<DynamicTest> tests = new ArrayList<>();
    List<String> rows = ONE_EDGE.lines().toList();
    String[] columns = rows.get(0).split("\\|")[1].trim().split("\\s+");
    for (String row : rows.subList(1, rows.size())) {
      String[] key = row.split("\\|")[0].trim().split("\\s+");
      String[] cells = row.split("\\|")[1].trim().split("\\s+");
      TaskGraph plain = graph("u", "t " + key[0] + " <- u " + key[1]);
      TaskGraph afterDecision = graph("u decision", "t " + key[0] + " <- u " + key[1]);
      for (int i = 0; i < columns.length; i++) {
        String column = columns[i];
        Verdict expected = verdict(cells[i]);
        boolean upstreamDecision = column.endsWith("d");
        String code = upstreamDecision ? column.substring(0, column.length() - 1) : column;
        tests.add(
            dynamicTest(
                key[0] + " on " + key[1] + ", upstream " + column + " -> " + expected,
                () -> {
                  TaskGraph g = upstreamDecision ? afterDecision : plain;
                  assertThat(TriggerRules.decide(g, "t", upstream("u=" + code)))
                      .isEqualTo(expected);
                }));
      }
    }
    return tests.stream();
  }

  /** Two SUCCESS edges {@code a -> t}, {@code b -> t}: rows a's attempt, columns b's. */
  private static final Map<String, String> TWO_EDGES =
      Map.of(
          "ALL_MATCHED",
          """
          a\\b | -  RUN SUC FAI SKI UPF KIL
          -    | W  W   W   U   S   U   U
          RUN  | W  W   W   U   S   U   U
          SUC  | W  W   R   U   S   U   U
          FAI  | U  U   U   U   U   U   U
          SKI  | S  S   S   U   S   U   U
          UPF  | U  U   U   U   U   U   U
          KIL  | U  U   U   U   U   U   U
          """,
          "ANY_MATCHED",
          """
          a\\b | -  RUN SUC FAI SKI UPF KIL
          -    | W  W   R   W   W   W   W
          RUN  | W  W   R   W   W   W   W
          SUC  | R  R   R   R   R   R   R
          FAI  | W  W   R   U   U   U   U
          SKI  | W  W   R   U   S   U   U
          UPF  | W  W   R   U   U   U   U
          KIL  | W  W   R   U   U   U   U
          """,
          "ALL_DONE",
          """
          a\\b | -  RUN SUC FAI SKI UPF KIL
          -    | W  W   W   W   W   W   W
          RUN  | W  W   W   W   W   W   W
          SUC  | W  W   R   R   R   R   R
          FAI  | W  W   R   R   R   R   R
          SKI  | W  W   R   R   R   R   R
          UPF  | W  W   R   R   R   R   R
          KIL  | W  W   R   R   R   R   R
          """,
          "ANY_DONE",
          """
          a\\b | -  RUN SUC FAI SKI UPF KIL
          -    | W  W   R   R   R   R   R
          RUN  | W  W   R   R   R   R   R
          SUC  | R  R   R   R   R   R   R
          FAI  | R  R   R   R   R   R   R
          SKI  | R  R   R   R   R   R   R
          UPF  | R  R   R   R   R   R   R
          KIL  | R  R   R   R   R   R   R
          """);

  @TestFactory
  Stream<DynamicTest> twoEdges() {
    List<DynamicTest> tests = new ArrayList<>();
    TWO_EDGES.forEach(
        (rule, table) -> {
          TaskGraph g = graph("t " + rule + " <- a SUCCESS, b SUCCESS");
          List<String> rows = table.lines().toList();
          String[] columns = rows.get(0).split("\\|")[1].trim().split("\\s+");
          for (String row : rows.subList(1, rows.size())) {
            String a = row.split("\\|")[0].trim();
            String[] cells = row.split("\\|")[1].trim().split("\\s+");
            for (int i = 0; i < columns.length; i++) {
              String b = columns[i];
              Verdict expected = verdict(cells[i]);
              tests.add(
                  dynamicTest(
                      rule + ", a " + a + ", b " + b + " -> " + expected,
                      () ->
                          assertThat(TriggerRules.decide(g, "t", upstream("a=" + a, "b=" + b)))
                              .isEqualTo(expected)));
            }
          }
        });
    return tests.stream();
  }

  /** Mixed edges and more upstream tasks: rule and edges, upstream attempts, verdict. */
  @ParameterizedTest(name = "{0} / {1} -> {2}")
  @CsvSource(
      delimiter = ';',
      value = {
        // the usual "on failure of either" and "clean-up always" shapes
        "t ANY_MATCHED <- a FAILURE, b FAILURE; a=SUC, b=SUC; S",
        "t ANY_MATCHED <- a FAILURE, b FAILURE; a=SUC, b=FAI; R",
        "t ANY_MATCHED <- a FAILURE, b FAILURE; a=SUC, b=RUN; W",
        "t ANY_MATCHED <- a FAILURE, b FAILURE; a=UPF, b=SUC; U",
        "t <- a ALWAYS, b ALWAYS; a=SUC, b=FAI; R",
        "t <- a ALWAYS, b ALWAYS; a=SUC, b=KIL; U",
        "t <- a ALWAYS, b ALWAYS; a=SKI, b=FAI; S",
        "t <- a SUCCESS, b FAILURE; a=SUC, b=FAI; R",
        "t <- a SUCCESS, b FAILURE; a=SUC, b=SUC; S",
        "t <- a SUCCESS, b FAILURE; a=FAI, b=SUC; U",
        // a RUNNING edge released counts as fired and as done, whatever the upstream did since
        "t <- s RUNNING, b SUCCESS; s=RUN*, b=RUN; W",
        "t <- s RUNNING, b SUCCESS; s=RUN*, b=SUC; R",
        "t <- s RUNNING, b SUCCESS; s=FAI*, b=SUC; R",
        "t <- s RUNNING, b SUCCESS; s=KIL*, b=SUC; R",
        "t <- s RUNNING, b SUCCESS; s=FAI, b=SUC; U",
        "t <- s RUNNING, b SUCCESS; s=RUN*, b=FAI; U",
        "t ANY_DONE <- s RUNNING, b SUCCESS; s=RUN*, b=-; R",
        "t ALL_DONE <- s RUNNING, b SUCCESS; s=RUN*, b=RUN; W",
        "t ALL_DONE <- s RUNNING, b SUCCESS; s=RUN*, b=SKI; R",
        // a released edge of another condition does not fire before its upstream ends
        "t <- s SUCCESS; s=RUN*; W",
        "t <- s ALWAYS; s=RUN*; W",
        // two edges from one upstream task
        "t <- a SUCCESS, a FAILURE; a=SUC; S",
        "t ANY_MATCHED <- a SUCCESS, a FAILURE; a=FAI; R",
        "t ANY_MATCHED <- a SUCCESS, a FAILURE; a=SKI; S",
        // three upstream tasks
        "t ALL_MATCHED <- a, b, c; a=SUC, b=SUC, c=SUC; R",
        "t ALL_MATCHED <- a, b, c; a=SUC, b=SUC, c=RUN; W",
        "t ALL_MATCHED <- a, b, c; a=SKI, b=SUC, c=RUN; S",
        "t ALL_MATCHED <- a, b, c; a=SKI, b=UPF, c=RUN; U",
        "t ANY_MATCHED <- a, b, c; a=SKI, b=FAI, c=RUN; W",
        "t ANY_MATCHED <- a, b, c; a=SKI, b=SKI, c=SKI; S",
        "t ANY_MATCHED <- a, b, c; a=SKI, b=KIL, c=SKI; U",
        "t ALL_DONE <- a, b, c; a=SKI, b=KIL, c=REA; W",
        "t ANY_DONE <- a, b, c; a=WAI, b=REA, c=KIL; R",
        // a task that skipped itself matches none of its edges
        "t <- a ALWAYS; a=SKI; S",
        "t ANY_MATCHED <- a ALWAYS, b ALWAYS; a=SKI, b=SKI; S",
      })
  void mixed(String spec, String upstream, String expected) {
    TaskGraph g = graph(spec);
    assertThat(TriggerRules.decide(g, "t", upstream(upstream.split(","))))
        .isEqualTo(verdict(expected));
  }

  /** A decision task (a condition) ignores its trigger rule and waits for every upstream end. */
  @ParameterizedTest(name = "{0} / {1} -> {2}")
  @CsvSource(
      delimiter = ';',
      value = {
        "t ALL_MATCHED decision <- a, b FAILURE; a=SUC, b=SUC; R",
        "t ANY_MATCHED decision <- a, b FAILURE; a=SUC, b=RUN; W",
        "t ANY_DONE decision <- a, b FAILURE; a=SUC, b=-; W",
        "t ALL_MATCHED decision <- a, b; a=UPF, b=KIL; R",
        "t decision <- s RUNNING; s=RUN*; W",
        "t decision <- s RUNNING; s=FAI*; R",
        // downstream of a decision: its failure is "false", so what it does not lead to is SKIPPED
        "c decision / t <- c SUCCESS; c=FAI; S",
        "c decision / t <- c FAILURE; c=FAI; R",
        "c decision / t <- c ALWAYS; c=FAI; R",
        "c decision / t <- c SUCCESS, b; c=FAI, b=FAI; U",
        "c decision / t ANY_MATCHED <- c SUCCESS, b SUCCESS; c=FAI, b=SKI; S",
        "c decision / t ANY_MATCHED <- c SUCCESS, b SUCCESS; c=FAI, b=UPF; U",
        "c decision / t <- c SUCCESS; c=UPF; U",
        "c decision / t <- c SUCCESS; c=KIL; U",
      })
  void decisions(String spec, String upstream, String expected) {
    TaskGraph g = graph(spec.split("\\s*/\\s*"));
    assertThat(TriggerRules.decide(g, "t", upstream(upstream.split(","))))
        .isEqualTo(verdict(expected));
  }

  /** A success that chose branches fires only its edges to the chosen tasks. */
  @ParameterizedTest(name = "{0} / {1} -> {2}")
  @CsvSource(
      delimiter = ';',
      value = {
        "t <- s; s=SUC[t]; R",
        "t <- s; s=SUC[x]; S",
        "t <- s; s=SUC[]; S",
        "t <- s; s=SUC[x t]; R",
        "t <- s ALWAYS; s=SUC[x]; S",
        "t <- s ALWAYS; s=SUC[t]; R",
        "t <- s RUNNING; s=SUC[x]; S",
        "t <- s FAILURE; s=SUC[t]; S",
        // branches are kept for a success only: a failure fires its FAILURE and ALWAYS edges
        "t <- s ALWAYS; s=FAI[x]; R",
        "t <- s FAILURE; s=FAI[x]; R",
        // a release fires the RUNNING edge whatever the later choice
        "t <- s RUNNING; s=SUC*[x]; R",
        // another path still runs the task
        "t ANY_MATCHED <- s, z; s=SUC[x], z=SUC; R",
        "t ANY_MATCHED <- s, z; s=SUC[x], z=RUN; W",
        "t ANY_MATCHED <- s, z; s=SUC[x], z=SKI; S",
        "t ANY_MATCHED <- s, z; s=SUC[x], z=FAI; U",
        "t ALL_MATCHED <- s, z; s=SUC[x], z=RUN; S",
        "t ALL_DONE <- s, z; s=SUC[x], z=SUC; R",
        "t ANY_DONE <- s, z; s=SUC[x], z=-; R",
      })
  void branches(String spec, String upstream, String expected) {
    TaskGraph g = graph(spec);
    assertThat(TriggerRules.decide(g, "t", upstream(upstream.split(","))))
        .isEqualTo(verdict(expected));
  }

  @ParameterizedTest(name = "root with {0} is READY")
  @CsvSource({"ALL_MATCHED", "ANY_MATCHED", "ALL_DONE", "ANY_DONE", "decision"})
  void rootsAreReadyWhateverTheirRule(String rule) {
    TaskGraph g = graph("r " + rule);
    assertThat(TriggerRules.decide(g, "r", t -> null)).isEqualTo(Verdict.READY);
    assertThat(TriggerRules.firstState(g, "r")).isEqualTo(TaskState.READY);
  }

  @Test
  void tasksWithUpstreamStartWaiting() {
    assertThat(TriggerRules.firstState(graph("t <- a"), "t")).isEqualTo(TaskState.WAITING);
  }

  @Test
  void unmetReasonNamesEveryUpstreamStateAndEdge() {
    TaskGraph g = graph("t <- a, b FAILURE, c RUNNING");
    assertThat(TriggerRules.unmetReason(g, "t", upstream("a=SKI", "b=SUC")))
        .isEqualTo(
            "trigger rule ALL_MATCHED cannot be met: a is SKIPPED (edge on SUCCESS)"
                + " b is SUCCESS (edge on FAILURE) c is null (edge on RUNNING)");
  }

  @ParameterizedTest(name = "{0} / {1} waits for {2}")
  @CsvSource(
      delimiter = ';',
      value = {
        "t <- a, b; a=SUC, b=RUN; b=RUNNING",
        "t <- a, b; a=-, b=REA; a=null b=READY",
        "t <- a, b; a=SUC, b=SUC; ''",
        "t <- s RUNNING, b; s=RUN*, b=WAI; b=WAITING",
        "t <- s SUCCESS, b; s=RUN*, b=SUC; s=RUNNING",
        "t decision <- s RUNNING; s=RUN*; s=RUNNING",
        "t <- b, a, b FAILURE; a=RUN, b=RUN; a=RUNNING b=RUNNING",
      })
  void waitingFor(String spec, String upstream, String expected) {
    TaskGraph g = graph(spec);
    StringBuilder sb = new StringBuilder();
    TriggerRules.waitingFor(g, "t", upstream(upstream.split(",")))
        .forEach((k, v) -> sb.append(sb.length() == 0 ? "" : " ").append(k + "=" + v));
    assertThat(sb.toString()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} / {1} -> {2}")
  @CsvSource(
      delimiter = ';',
      value = {
        "t <- a, b FAILURE; a=SUC, b=SUC; a SUCCESS SUCCESS true, b FAILURE SUCCESS false",
        "t <- a, b ALWAYS; a=-, b=FAI; a SUCCESS WAITING false, b ALWAYS FAILED true",
        "t <- s, z; s=SUC[z], z=SKI; s SUCCESS SUCCESS false, z SUCCESS SKIPPED false",
        "t <- s RUNNING; s=RUN*; s RUNNING RUNNING true",
        "t <- s RUNNING; s=KIL*; s RUNNING KILLED true",
        "t <- s RUNNING; s=RUN; s RUNNING RUNNING false",
      })
  void edgesAsLogicTasksSeeThem(String spec, String upstream, String expected) {
    TaskGraph g = graph(spec);
    List<String> out = new ArrayList<>();
    for (EdgeState e : TriggerRules.edges(g, "t", upstream(upstream.split(",")))) {
      out.add(e.edge().from() + " " + e.edge().on() + " " + e.upstream() + " " + e.fired());
    }
    assertThat(String.join(", ", out)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} matches {1}: {2}")
  @CsvSource({
    "SUCCESS, SUCCESS, true", "SUCCESS, FAILED, false", "SUCCESS, SKIPPED, false",
    "FAILURE, FAILED, true", "FAILURE, SUCCESS, false", "FAILURE, KILLED, false",
    "ALWAYS, SUCCESS, true", "ALWAYS, FAILED, true", "ALWAYS, KILLED, false",
    "ALWAYS, UPSTREAM_FAILED, false", "RUNNING, SUCCESS, true", "RUNNING, FAILED, false",
    "RUNNING, RUNNING, false",
  })
  void matches(EdgeCondition on, TaskState upstream, boolean expected) {
    assertThat(TriggerRules.matches(on, upstream)).isEqualTo(expected);
    assertThat(TriggerRules.fires(new Edge("a", "t", on), upstream, null)).isEqualTo(expected);
  }
}
