package io.flinkplatform.engine.internal.model;

import static io.flinkplatform.engine.internal.model.Fixtures.attempt;
import static io.flinkplatform.engine.internal.model.Fixtures.graph;
import static io.flinkplatform.engine.internal.model.Fixtures.state;
import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The model of a running run as the completion path drives it: the stored latest attempts (what a
 * caller could load), facts (outcomes, releases), the decisions taken level by level as skips
 * spread, and which tasks had to be loaded for them. Facts: {@code end TASK CODE [retryable]} (CODE
 * as in {@link Fixtures#attempt}, e.g. {@code SUC[x]} for a success that chose x) and {@code
 * release TASK}.
 */
class RunModelTest {

  /**
   * Drives the model as the completion path does when it decides in full: for each level, loads
   * what the model says is missing from {@code stored} for the tasks downstream of the level, then
   * decides each of them once.
   */
  private static List<Decision> advance(
      RunModel m, Map<String, Attempt> stored, List<String> level, Set<String> loaded) {
    List<Decision> out = new ArrayList<>();
    while (!level.isEmpty()) {
      Set<String> targets = new LinkedHashSet<>();
      level.forEach(t -> targets.addAll(m.arrivals(t).keySet()));
      Set<String> need = new LinkedHashSet<>();
      targets.forEach(t -> m.missingFor(t, need));
      for (String t : need) {
        if (stored.containsKey(t)) {
          m.load(t, stored.get(t));
        }
      }
      loaded.addAll(need);
      List<String> next = new ArrayList<>();
      for (String t : targets) {
        Decision d = m.decide(t);
        if (d != null) {
          out.add(d);
          if (d.spreads()) {
            next.add(d.task());
          }
        }
      }
      level = next;
    }
    return out;
  }

  private static Map<String, Attempt> stored(String pairs) {
    Map<String, Attempt> out = new LinkedHashMap<>();
    long id = 1;
    for (String p : pairs.trim().split("\\s+")) {
      String[] kv = p.split("=", 2);
      String code = kv[1];
      int number = 1;
      int base = 0;
      if (code.contains("#")) { // e.g. FAI#3/0: attempt 3, rerun base 0
        String[] n = code.substring(code.indexOf('#') + 1).split("/");
        number = Integer.parseInt(n[0]);
        base = Integer.parseInt(n[1]);
        code = code.substring(0, code.indexOf('#'));
      }
      Attempt a = attempt(code);
      out.put(kv[0], new Attempt(id++, number, base, a.state(), a.branches(), a.released()));
    }
    return out;
  }

  @ParameterizedTest(name = "{0} | {1} | {2} -> {3}")
  @CsvSource(
      delimiter = ';',
      value = {
        // graph; stored attempts; facts; decisions; loaded for them; endings
        "b <- a / c <- b; a=RUN b=WAI c=WAI; end a SUC; b=READY; b; a=SUCCESS",
        "b <- a / c <- b; a=RUN b=WAI c=WAI; end a FAI; b=UPSTREAM_FAILED c=UPSTREAM_FAILED; b c;"
            + " a=FAILED",
        "b <- a / c <- b; a=RUN b=WAI c=WAI; end a SKI; b=SKIPPED c=SKIPPED; b c; a=SKIPPED",
        "b <- a / c <- b; a=RUN b=WAI c=WAI; end a KIL; b=UPSTREAM_FAILED c=UPSTREAM_FAILED; b c;"
            + " a=KILLED",
        // retries: a new READY attempt, nothing decided downstream, nothing loaded
        "a retry=2 / b <- a; a=RUN b=WAI; end a FAI retryable; ''; ''; a=FAILED retry 2",
        "a retry=2 / b <- a; a=RUN#2/0 b=WAI; end a FAI retryable; ''; ''; a=FAILED retry 3",
        "a retry=2 / b <- a; a=RUN#3/0 b=WAI; end a FAI retryable; b=UPSTREAM_FAILED; b; a=FAILED",
        "a retry=2 / b <- a; a=RUN#5/3 b=WAI; end a FAI retryable; ''; ''; a=FAILED retry 6",
        "a retry=2 / b <- a; a=RUN b=WAI; end a FAI; b=UPSTREAM_FAILED; b; a=FAILED",
        "a retry=2 / b <- a FAILURE; a=RUN#3/0 b=WAI; end a FAI retryable; b=READY; b; a=FAILED",
        // failure edges, and a task whose other upstream is stored
        "b <- a FAILURE; a=RUN b=WAI; end a FAI; b=READY; b; a=FAILED",
        "b <- a FAILURE / c <- b; a=RUN b=WAI c=WAI; end a SUC; b=SKIPPED c=SKIPPED; b c;"
            + " a=SUCCESS",
        "c <- a, b; a=RUN b=SUC c=WAI; end a SUC; c=READY; b c; a=SUCCESS",
        "c <- a, b; a=RUN b=RUN c=WAI; end a SUC; ''; b c; a=SUCCESS",
        "c ANY_MATCHED <- a, b; a=RUN b=RUN c=WAI; end a SUC; c=READY; b c; a=SUCCESS",
        // branches: the task not chosen is SKIPPED, and so is what follows it
        "x <- s / y <- s / z <- y; s=RUN x=WAI y=WAI z=WAI; end s SUC[x]; x=READY y=SKIPPED"
            + " z=SKIPPED; x y z; s=SUCCESS",
        "x <- s / y <- s; s=RUN x=WAI y=WAI; end s SUC[]; x=SKIPPED y=SKIPPED; x y; s=SUCCESS",
        "x <- s / y <- s; s=RUN x=WAI y=WAI; end s SUC; x=READY y=READY; x y; s=SUCCESS",
        // a decision's failure leaves what it does not lead to SKIPPED, and runs its FAILURE edge
        "c decision <- a / t <- c / f <- c FAILURE; a=SUC c=RUN t=WAI f=WAI; end c FAI; t=SKIPPED"
            + " f=READY; f t; c=FAILED",
        "c decision <- a, b; a=RUN b=FAI c=WAI; end a SUC; c=READY; b c; a=SUCCESS",
        // a task already decided (READY, or ended) is left alone
        "b <- a; a=RUN b=REA; end a FAI; ''; b; a=FAILED",
        "b <- a; a=RUN b=SKI; end a SUC; ''; b; a=SUCCESS",
        // RUNNING edges: a release starts what is behind them; the upstream keeps running
        "t <- s RUNNING; s=RUN t=WAI; release s; t=READY; t; ''",
        // (u's edge is not resolved by the release: u is not even read)
        "t <- s RUNNING / u <- s; s=RUN t=WAI u=WAI; release s; t=READY; t; ''",
        "t <- s RUNNING, b; s=RUN t=WAI b=RUN; release s; ''; b t; ''",
        // a release is a fact of the attempt: it still counts once the attempt failed or was killed
        "t <- s RUNNING, b; s=RUN t=WAI b=RUN; release s, end s FAI, end b SUC; t=READY; b t;"
            + " s=FAILED b=SUCCESS",
        "t <- s RUNNING, b; s=RUN t=WAI b=RUN; release s, end b SUC, end s KIL; t=READY; b t;"
            + " b=SUCCESS s=KILLED",
        // (the release resolved s's edge, so its end reaches nothing: t is decided when b ends)
        "t <- s RUNNING, b; s=RUN* t=WAI b=RUN; end s FAI, end b SUC; t=READY; t; s=FAILED"
            + " b=SUCCESS",
        // without a release, a RUNNING edge fires on success only
        "t <- s RUNNING; s=RUN t=WAI; end s SUC; t=READY; t; s=SUCCESS",
        "t <- s RUNNING; s=RUN t=WAI; end s FAI; t=UPSTREAM_FAILED; t; s=FAILED",
        // a release that is no longer one changes nothing
        "t <- s RUNNING; s=RUN* t=WAI; release s; ''; ''; ''",
        "t <- s RUNNING; s=SUC t=WAI; release s; ''; ''; ''",
      })
  void completion(
      String spec, String stored, String facts, String decisions, String loaded, String endings) {
    TaskGraph g = graph(spec.split("\\s*/\\s*"));
    Map<String, Attempt> db = stored(stored);
    RunModel m = RunModel.running(g);
    List<String> taken = new ArrayList<>();
    Set<String> loads = new TreeSet<>();
    List<String> ends = new ArrayList<>();
    for (String fact : facts.split(",")) {
      String[] f = fact.trim().split("\\s+");
      String task = f[1];
      Attempt running = m.knows(task) ? m.latest(task) : db.get(task);
      m.load(task, running);
      List<String> level = new ArrayList<>();
      if (f[0].equals("release")) {
        if (m.release(task, running)) {
          level.add(task);
        }
      } else {
        Attempt outcome = attempt(f[2]);
        Ending e =
            m.end(
                task,
                running,
                outcome.state(),
                f.length > 3 && f[3].equals("retryable"),
                outcome.branches());
        ends.add(
            task + "=" + e.state() + (e.retry() == null ? "" : " retry " + e.retry().attempt()));
        if (e.advances()) {
          level.add(task);
        }
        if (e.retry() != null) {
          assertThat(m.latest(task).state()).isEqualTo(TaskState.READY);
          assertThat(m.latest(task).number()).isEqualTo(e.retry().attempt());
          assertThat(m.latest(task).rerunBase()).isEqualTo(running.rerunBase());
        }
      }
      for (Decision d : advance(m, db, level, loads)) {
        taken.add(d.task() + "=" + d.state());
        assertThat(d.reason() == null).isEqualTo(d.state() == TaskState.READY);
        assertThat(d.attempt().id()).isEqualTo(db.get(d.task()).id());
      }
    }
    assertThat(String.join(" ", taken)).isEqualTo(decisions);
    assertThat(String.join(" ", loads)).isEqualTo(loaded);
    assertThat(String.join(" ", ends)).isEqualTo(endings);
  }

  @Test
  void aFanOutLoadsAndDecidesOnlyTheTasksBehindTheOutcome() {
    List<String> lines = new ArrayList<>();
    StringBuilder stored = new StringBuilder("a=RUN z=RUN");
    for (int i = 0; i < 200; i++) {
      lines.add("b" + i + " <- a");
      lines.add("c" + i + " <- z");
      stored.append(" b").append(i).append("=WAI c").append(i).append("=WAI");
    }
    TaskGraph g = graph(lines.toArray(String[]::new));
    Map<String, Attempt> db = stored(stored.toString());
    RunModel m = RunModel.running(g);
    m.load("a", db.get("a"));
    Ending e = m.end("a", db.get("a"), TaskState.SUCCESS, false, null);
    Set<String> loads = new TreeSet<>();
    List<Decision> decisions = advance(m, db, List.of("a"), loads);
    assertThat(e.advances()).isTrue();
    assertThat(decisions).hasSize(200).allMatch(d -> d.state() == TaskState.READY);
    assertThat(loads).hasSize(200).allMatch(t -> t.startsWith("b"));
    assertThat(m.attempts()).hasSize(201);
  }

  @Test
  void anUnknownUpstreamKeepsATaskWaiting() {
    // the caller did not load b: the model cannot know it ended, so c waits (never guesses)
    RunModel m = Fixtures.model(graph("c <- a, b"), "a=SUC", "c=WAI");
    assertThat(m.decide("c")).isNull();
    assertThat(m.waitingFor("c")).containsOnlyKeys("b");
  }

  @ParameterizedTest(name = "killing: {0} -> {1}")
  @CsvSource({"FAI, KILLED", "SUC, SUCCESS", "KIL, KILLED", "SKI, SKIPPED"})
  void aRunBeingKilledRetriesNothingAndDecidesNothing(String outcome, TaskState expected) {
    RunModel m = new RunModel(graph("a retry=3", "b <- a", "c <- a FAILURE"), RunState.KILLING);
    Fixtures.load(m, "a=RUN", "b=WAI", "c=WAI");
    Ending e = m.end("a", m.latest("a"), state(outcome), true, null);
    assertThat(e.state()).isEqualTo(expected);
    assertThat(e.retry()).isNull();
    assertThat(e.advances()).isFalse();
    assertThat(m.release("a", Attempt.of(1, 1, TaskState.RUNNING))).isFalse();
    assertThat(m.killUnstarted()).containsExactlyInAnyOrder("b", "c");
    assertThat(m.outcome()).isEqualTo(RunState.KILLED);
  }

  @Test
  void aKillEndsOnlyTheUnstartedAttempts() {
    RunModel m = Fixtures.model(graph("a", "b <- a", "c <- a", "d"), "a=SUC", "b=REA", "c=RUN");
    Fixtures.load(m, "d=WAI");
    assertThat(m.killUnstarted()).containsExactlyInAnyOrder("b", "d");
    assertThat(m.latest("c").state()).isEqualTo(TaskState.RUNNING);
    assertThat(m.latest("b").state()).isEqualTo(TaskState.KILLED);
  }

  @Test
  void aLaterAttemptLoadedReplacesAnEarlierOneButNotTheOtherWayRound() {
    RunModel m = RunModel.running(graph("a"));
    m.load("a", Attempt.of(7, 2, TaskState.READY));
    m.load("a", Attempt.of(6, 1, TaskState.FAILED));
    assertThat(m.latest("a").id()).isEqualTo(7);
    m.load("a", Attempt.of(8, 3, TaskState.SUCCESS));
    assertThat(m.latest("a").id()).isEqualTo(8);
  }
}
