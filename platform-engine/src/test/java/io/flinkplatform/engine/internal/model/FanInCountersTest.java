package io.flinkplatform.engine.internal.model;

import static io.flinkplatform.engine.internal.model.Fixtures.graph;
import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.dag.TriggerRule;
import io.flinkplatform.engine.run.TaskState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fan-in counter against the full rule, exhaustively for a task with three upstream tasks:
 * every trigger rule and a decision task, every edge condition per edge, every outcome per upstream
 * task, RUNNING edges released or not, and every order of the ends. The completion path's way is
 * replayed fact by fact: the counter starts at the in-degree, each fact lowers it by the edges it
 * resolved, and the rule is decided in full only when {@link RunModel#mayDecide} says so. Whenever
 * it does not, the full rule must say WAIT (the counter never delays a decision) and the counter
 * must equal {@link RunModel#openEdges} (it is exact).
 */
class FanInCountersTest {
  private static final String[] CONDITIONS = {"SUCCESS", "FAILURE", "ALWAYS", "RUNNING"};
  private static final TaskState[] OUTCOMES = {
    TaskState.SUCCESS,
    TaskState.FAILED,
    TaskState.SKIPPED,
    TaskState.UPSTREAM_FAILED,
    TaskState.KILLED
  };
  private static final int[][] ORDERS = {
    {0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}
  };

  @Test
  void theCounterNeverDelaysADecisionAndStaysExact() {
    List<String> wrong = new ArrayList<>();
    int cases = 0;
    List<String> rules = new ArrayList<>();
    for (TriggerRule r : TriggerRule.values()) {
      rules.add(r.name());
    }
    rules.add("decision");
    for (String rule : rules) {
      for (int c = 0; c < 64; c++) {
        String[] on = {CONDITIONS[c % 4], CONDITIONS[c / 4 % 4], CONDITIONS[c / 16]};
        TaskGraph g =
            graph(
                "u1",
                "u2",
                "u3",
                "t " + rule + " <- u1 " + on[0] + ", u2 " + on[1] + ", u3 " + on[2]);
        for (int o = 0; o < 125; o++) {
          TaskState[] ends = {OUTCOMES[o % 5], OUTCOMES[o / 5 % 5], OUTCOMES[o / 25]};
          for (int released = 0; released < 8; released++) {
            if (!releasesOnlyRunningEdges(on, released)) {
              continue; // only a RUNNING edge cares about a release
            }
            for (int[] order : ORDERS) {
              cases++;
              String problem = replay(g, on, ends, released, order);
              if (problem != null && wrong.size() < 20) {
                wrong.add(
                    rule
                        + " "
                        + String.join(",", on)
                        + " ends "
                        + List.of(ends)
                        + " released "
                        + released
                        + " order "
                        + List.of(order[0], order[1], order[2])
                        + ": "
                        + problem);
              }
            }
          }
        }
      }
    }
    assertThat(wrong).as("of %s cases", cases).isEmpty();
  }

  private static boolean releasesOnlyRunningEdges(String[] on, int released) {
    for (int i = 0; i < 3; i++) {
      if ((released & (1 << i)) != 0 && !on[i].equals("RUNNING")) {
        return false;
      }
    }
    return true;
  }

  /**
   * Replays the facts: the upstream tasks whose bit is set in {@code released} release first (a
   * RUNNING edge from them resolves), then they end in {@code order}. Null when all is well.
   */
  private static String replay(
      TaskGraph g, String[] on, TaskState[] ends, int released, int[] order) {
    RunModel m = RunModel.running(g);
    for (int i = 0; i < 3; i++) {
      m.load("u" + (i + 1), Attempt.of(i + 1, 1, TaskState.RUNNING));
    }
    m.load("t", Attempt.of(9, 1, TaskState.WAITING));
    int counter = g.incoming("t").size();
    List<Runnable> facts = new ArrayList<>();
    List<String> from = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String u = "u" + (i + 1);
      if ((released & (1 << i)) != 0) {
        facts.add(() -> m.release(u, m.latest(u)));
        from.add(u);
      }
    }
    for (int i : order) {
      String u = "u" + (i + 1);
      TaskState end = ends[i];
      facts.add(() -> m.end(u, m.latest(u), end, false, null));
      from.add(u);
    }
    for (int f = 0; f < facts.size(); f++) {
      facts.get(f).run();
      Arrivals arrived = m.arrivals(from.get(f)).get("t");
      if (arrived == null) {
        if (m.decide("t") != null) {
          return "a fact that resolved no edge decided the task";
        }
        continue;
      }
      int left = counter - arrived.edges();
      if (!m.mayDecide("t", left, arrived)) {
        if (m.decide("t") != null) {
          return "the counter (" + left + ") held back a decision";
        }
        if (left != m.openEdges("t")) {
          return "counter " + left + ", open edges " + m.openEdges("t");
        }
        counter = left;
        continue;
      }
      int exact = m.openEdges("t");
      if (m.decide("t") != null) {
        return null; // decided; later facts do not concern it
      }
      counter = exact;
    }
    return m.latest("t").state() == TaskState.WAITING
        ? "still waiting after every upstream task ended"
        : null;
  }
}
