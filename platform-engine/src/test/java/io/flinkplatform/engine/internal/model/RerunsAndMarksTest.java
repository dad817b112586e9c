package io.flinkplatform.engine.internal.model;

import static io.flinkplatform.engine.internal.model.Fixtures.graph;
import static io.flinkplatform.engine.internal.model.Fixtures.state;
import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.run.RerunMode;
import io.flinkplatform.engine.run.RunState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Reruns of each kind and manual marks as tables: the graph, the run's latest attempts (the whole
 * run, as a rerun loads it), the request, the tasks renewed, the decisions taken, whether any task
 * can start, and which new attempts only repeat an earlier outcome (a mark leaves those out).
 */
class RerunsAndMarksTest {

  /** A pipeline with a failure handler: a → b → c, and a → h on failure. */
  private static final String PIPE = "b <- a / c <- b / h <- a FAILURE";

  /** A switch s that chose x or y, and a task y that also needs u. */
  private static final String SWITCH = "x <- s / y <- s, u / z <- y";

  @ParameterizedTest(name = "{0} | {1} | rerun {2} {3} -> {4} / {5}")
  @CsvSource(
      delimiter = ';',
      value = {
        // graph; latest attempts; mode; task; renewed (scope); decisions
        PIPE + "; a=FAI b=UPF c=UPF h=SUC; FAILED_TASKS; ; a b c h; a=READY",
        PIPE + "; a=SUC b=FAI c=UPF h=SKI; FAILED_TASKS; ; b c; b=READY",
        PIPE + "; a=SUC b=SUC c=KIL h=SKI; FAILED_TASKS; ; c; c=READY",
        PIPE + "; a=SUC b=SUC c=SUC h=SKI; FAILED_TASKS; ; ''; ''",
        PIPE + "; a=SUC b=SUC c=SUC h=SKI; TASK; b; b; b=READY",
        PIPE + "; a=FAI b=UPF c=UPF h=SUC; TASK; c; c; c=UPSTREAM_FAILED",
        PIPE + "; a=FAI b=UPF c=UPF h=SUC; TASK_AND_UPSTREAM; c; c b a; a=READY",
        PIPE
            + "; a=FAI b=UPF c=UPF h=SUC; TASK_AND_DOWNSTREAM; b; b c;"
            + " b=UPSTREAM_FAILED c=UPSTREAM_FAILED",
        PIPE + "; a=FAI b=UPF c=UPF h=SUC; TASK_AND_DOWNSTREAM; a; a b h c; a=READY",
        PIPE + "; a=SUC b=SUC c=SUC h=SKI; TASK; a; a; a=READY",
        PIPE + "; a=SUC b=SUC c=SUC h=SKI; TASK; h; h; h=SKIPPED",
        // a branch the switch did not take stays untaken
        SWITCH + "; s=SUC[x] u=SUC x=SUC y=SKI z=SKI; TASK; y; y; y=SKIPPED",
        SWITCH
            + "; s=SUC[x] u=SUC x=SUC y=SKI z=SKI; TASK_AND_DOWNSTREAM; y; y z;"
            + " y=SKIPPED z=SKIPPED",
        SWITCH + "; s=SUC[y] u=FAI x=SKI y=UPF z=UPF; FAILED_TASKS; ; u y z; u=READY",
        SWITCH
            + "; s=SUC[x] u=FAI x=SUC y=UPF z=UPF; TASK_AND_DOWNSTREAM; s; s x y z; s=READY"
            + " y=UPSTREAM_FAILED z=UPSTREAM_FAILED",
        SWITCH + "; s=SUC[x] u=SUC x=SUC y=SKI z=SKI; TASK_AND_DOWNSTREAM; s; s x y z; s=READY",
        SWITCH + "; s=SUC[x] u=SUC x=FAI y=SKI z=SKI; FAILED_TASKS; ; x; x=READY",
        // a decision that said no is a choice, not a failure
        "t <- c / f <- c FAILURE / c decision <- a; a=SUC c=FAI t=SKI f=FAI; FAILED_TASKS; ; f;"
            + " f=READY",
        "t <- c / f <- c FAILURE / c decision <- a; a=SUC c=FAI t=SKI f=SUC; FAILED_TASKS; ; '';"
            + " ''",
        "t <- c / c decision <- a; a=SUC c=FAI t=SKI; TASK; t; t; t=SKIPPED",
        "t <- c / c decision <- a; a=SUC c=FAI t=SKI; TASK; c; c; c=READY",
        // a RUNNING edge its upstream released counts as fired, even if that upstream was killed
        "t <- s RUNNING; s=KIL* t=FAI; FAILED_TASKS; ; s t; s=READY",
        "t <- s RUNNING; s=KIL* t=FAI; TASK; t; t; t=READY",
        "t <- s RUNNING; s=KIL t=UPF; TASK; t; t; t=UPSTREAM_FAILED",
        // a renewed task forgets its own release and choice
        "t <- s RUNNING; s=FAI* t=SUC; TASK_AND_DOWNSTREAM; s; s t; s=READY",
        "x <- s / y <- s; s=SUC[x] x=SUC y=SKI; TASK_AND_DOWNSTREAM; s; s x y; s=READY",
        // trigger rules other than ALL_MATCHED
        "t ANY_MATCHED <- a, b; a=FAI b=SUC t=SUC; TASK; t; t; t=READY",
        "t ALL_DONE <- a, b; a=FAI b=KIL t=SUC; TASK; t; t; t=READY",
        "t ANY_MATCHED <- a, b; a=FAI b=SKI t=UPF; TASK; t; t; t=UPSTREAM_FAILED",
      })
  void rerun(
      String spec, String latest, RerunMode mode, String task, String renewed, String decisions) {
    RunModel m = model(spec, RunState.FAILED, latest);
    List<String> scope = new ArrayList<>(m.rerunScope(mode, task));
    assertThat(String.join(" ", scope)).isEqualTo(renewed);
    scope.forEach(
        t -> {
          Attempt before = m.latest(t);
          Attempt next = m.renew(t);
          assertThat(next.number()).isEqualTo(before.number() + 1);
          assertThat(next.rerunBase()).isEqualTo(before.number());
          assertThat(next.id()).isEqualTo(Attempt.NOT_STORED);
          assertThat(next.released()).isFalse();
          assertThat(next.branches()).isNull();
        });
    List<String> taken = new ArrayList<>();
    for (Decision d : m.decideWaiting()) {
      taken.add(d.task() + "=" + d.state());
    }
    assertThat(String.join(" ", taken)).isEqualTo(decisions);
    assertThat(m.anyReady()).isEqualTo(decisions.contains("READY"));
    assertThat(m.renewed()).containsExactlyElementsOf(scope);
  }

  @ParameterizedTest(name = "{0} | {1} | mark {2} {3} -> {4} / {5}")
  @CsvSource(
      delimiter = ';',
      value = {
        // graph; latest attempts; task; marked; in place?; renewed; decisions; repeats
        PIPE + "; a=FAI b=UPF c=UPF h=SUC; a; SUC; false; b c; b=READY; ''",
        PIPE + "; a=FAI b=UPF c=UPF h=SUC; a; SKI; false; b c; b=SKIPPED c=SKIPPED; ''",
        PIPE + "; a=SUC b=FAI c=UPF h=SKI; b; SKI; false; c; c=SKIPPED; ''",
        PIPE + "; a=SUC b=FAI c=UPF h=SKI; b; SUC; false; c; c=READY; ''",
        PIPE + "; a=SUC b=SUC c=FAI h=SKI; c; SUC; false; ''; ''; ''",
        // a task marked before it started: its attempt ends so; what waits behind it goes on
        PIPE + "; a=SUC b=REA c=WAI h=SKI; b; SUC; true; ''; c=READY; ''",
        PIPE + "; a=SUC b=WAI c=WAI h=SKI; b; SKI; true; ''; c=SKIPPED; ''",
        "c <- a, b; a=RUN b=WAI c=WAI; b; SUC; true; ''; ''; ''",
        // the switch's choice stands: y did not run because of s, so it stays SKIPPED
        SWITCH + "; s=SUC[x] u=FAI x=SUC y=UPF z=UPF; u; SUC; false; y z; y=SKIPPED z=SKIPPED; ''",
        SWITCH
            + "; s=SUC[x] u=SKI x=SUC y=SKI z=SKI; u; SUC; false; y z; y=SKIPPED z=SKIPPED;"
            + " y z",
        SWITCH + "; s=SUC[y] u=FAI x=SKI y=UPF z=UPF; u; SUC; false; y z; y=READY; ''",
        // marking the switch itself: a mark chose nothing, so every branch runs
        SWITCH + "; s=FAI u=SUC x=UPF y=UPF z=UPF; s; SUC; false; x y z; x=READY y=READY; ''",
        // a released RUNNING edge still counts after its upstream was killed
        "t <- s RUNNING, b; s=KIL* b=FAI t=UPF; b; SUC; false; t; t=READY; ''",
        "t <- s RUNNING, b; s=KIL b=FAI t=UPF; b; SUC; false; t; t=UPSTREAM_FAILED; t",
        // renewal goes on through tasks that did not run, and stops at those that did
        "b <- a / c <- b / d <- c; a=FAI b=UPF c=SUC d=SUC; a; SUC; false; b; b=READY; ''",
        "b <- a / c ALL_DONE <- b / d <- c; a=FAI b=UPF c=SUC d=SUC; a; SUC; false; b; b=READY;"
            + " ''",
        "b <- a, z / c <- b; a=FAI z=SKI b=UPF c=UPF; a; SUC; false; b c; b=SKIPPED c=SKIPPED;"
            + " ''",
        "b <- a, z / c <- b; a=SKI z=SKI b=SKI c=SKI; a; SUC; false; b c; b=SKIPPED c=SKIPPED;"
            + " b c",
      })
  void mark(
      String spec,
      String latest,
      String task,
      String to,
      boolean inPlace,
      String renewed,
      String decisions,
      String repeats) {
    RunModel m = model(spec, RunState.FAILED, latest);
    Attempt before = m.latest(task);
    assertThat(m.marksInPlace(task)).isEqualTo(inPlace);
    Attempt marked = m.mark(task, state(to));
    assertThat(marked.state()).isEqualTo(state(to));
    assertThat(marked.branches()).isNull();
    assertThat(marked.released()).isFalse();
    if (inPlace) {
      assertThat(marked.id()).isEqualTo(before.id());
      assertThat(marked.number()).isEqualTo(before.number());
    } else {
      assertThat(marked.id()).isEqualTo(Attempt.NOT_STORED);
      assertThat(marked.number()).isEqualTo(before.number() + 1);
      assertThat(marked.rerunBase()).isEqualTo(before.number());
    }
    assertThat(String.join(" ", m.renewed())).isEqualTo(renewed);
    List<String> taken = new ArrayList<>();
    for (Decision d : m.decideWaiting()) {
      taken.add(d.task() + "=" + d.state());
    }
    assertThat(String.join(" ", taken)).isEqualTo(decisions);
    List<String> repeated = new ArrayList<>();
    for (String t : m.renewed()) {
      if (m.repeats(t)) {
        repeated.add(t);
      }
    }
    assertThat(String.join(" ", repeated)).isEqualTo(repeats);
    assertThat(m.repeats(task)).isFalse();
  }

  private static RunModel model(String spec, RunState state, String latest) {
    RunModel m = new RunModel(graph(spec.split("\\s*/\\s*")), state);
    Fixtures.load(m, latest.trim().split("\\s+"));
    return m;
  }
}
