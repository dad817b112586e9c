package io.flinkplatform.engine.internal.progress;

import com.google.common.collect.Lists;
import io.flinkplatform.engine.event.PlatformEvent.RunStateChanged;
import io.flinkplatform.engine.internal.definition.Dag;
import io.flinkplatform.engine.internal.definition.Definitions;
import io.flinkplatform.engine.internal.definition.UnreadableDefinitionException;
import io.flinkplatform.engine.internal.model.RunOutcome;
import io.flinkplatform.engine.internal.store.AttemptRow;
import io.flinkplatform.engine.internal.store.RunRow;
import io.flinkplatform.engine.internal.store.StoreMapper;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.spi.Actor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Closes the runs of which no attempt is left to run, in the caller's transaction, with the outcome
 * {@link RunOutcome} gives from each task's latest state (a run being killed ends KILLED). The runs
 * of small workflows are found done and their states read in one statement; those of larger ones
 * are asked first, and only the runs that close are read.
 */
final class RunCloser {
  /**
   * Most tasks of a workflow whose runs are looked up in one read of all their attempts; the runs
   * of larger ones are first asked whether any attempt is unfinished (a run of thousands of tasks
   * would otherwise be read whole on every outcome that leaves nothing behind it ready).
   */
  static final int SMALL_DAG = 8;

  private final Definitions definitions;

  RunCloser(Definitions definitions) {
    this.definitions = definitions;
  }

  /**
   * Closes those of {@code runs} with no attempt left to run. The runs in {@code goingOn} are known
   * to have one (the caller's transaction left an attempt of theirs READY or WAITING), so only the
   * others are looked up: in a DAG where most outcomes ready or count down a task behind them, the
   * lookup, which reads the run's attempts, is rarely made.
   */
  void closeIfDone(
      StoreMapper m, List<RunRow> runs, Set<Long> goingOn, long now, Progress.Changes c) {
    List<RunRow> candidates = runs.stream().filter(r -> !goingOn.contains(r.id)).toList();
    if (candidates.isEmpty()) {
      return;
    }
    Map<Long, List<AttemptRow>> byRun = new HashMap<>();
    List<RunRow> done;
    if (candidates.stream().allMatch(r -> small(r.flowId))) {
      // one read: all attempts of the candidates, which are few, tell which runs are done
      readStates(m, candidates.stream().map(r -> r.id).toList(), byRun);
      done =
          candidates.stream()
              .filter(
                  r ->
                      byRun.getOrDefault(r.id, List.of()).stream().allMatch(a -> a.state.isFinal()))
              .toList();
    } else {
      Set<Long> unfinished =
          new HashSet<>(m.selectUnfinishedRuns(candidates.stream().map(r -> r.id).toList()));
      done = candidates.stream().filter(r -> !unfinished.contains(r.id)).toList();
      List<Long> toInspect =
          done.stream().filter(r -> r.state != RunState.KILLING).map(r -> r.id).toList();
      if (!toInspect.isEmpty()) {
        readStates(m, toInspect, byRun);
      }
    }
    if (done.isEmpty()) {
      return;
    }
    List<RunRow> ends = new ArrayList<>();
    for (RunRow run : done) {
      Dag dag = readable(run.flowId);
      Map<String, TaskState> latest =
          AttemptRows.latestStates(byRun.getOrDefault(run.id, List.of()));
      RunState end = RunOutcome.of(run.state, dag == null ? null : dag.graph, latest);
      run.state = end;
      ends.add(run);
      c.closedRuns.add(run.id);
      c.events.add(
          new RunStateChanged(
              Instant.ofEpochMilli(now),
              run.id,
              dag == null ? run.flowName : dag.workflow.name(),
              end,
              run.workspace,
              Actor.SYSTEM.name()));
    }
    Map<RunState, List<Long>> byState = new EnumMap<>(RunState.class);
    ends.forEach(r -> byState.computeIfAbsent(r.state, k -> new ArrayList<>()).add(r.id));
    byState.forEach(
        (state, ids) ->
            Lists.partition(ids, Progress.CHUNK).forEach(chunk -> m.finishRuns(state, chunk, now)));
  }

  /** Adds the attempts of {@code runIds} to {@code byRun}, by run. */
  private static void readStates(
      StoreMapper m, List<Long> runIds, Map<Long, List<AttemptRow>> byRun) {
    m.selectStatesOfRuns(runIds, null)
        .forEach(r -> byRun.computeIfAbsent(r.flowRunId, k -> new ArrayList<>()).add(r));
  }

  /**
   * Whether the runs of {@code flowId} have at most {@link #SMALL_DAG} tasks: reading all their
   * attempts costs about what asking whether any is unfinished does, and saves the second read.
   */
  private boolean small(long flowId) {
    Dag dag = readable(flowId);
    return dag != null && dag.tasks.size() <= SMALL_DAG;
  }

  /** The version, or null when it cannot be read (its runs end FAILED). */
  private Dag readable(long flowId) {
    try {
      return definitions.get(flowId);
    } catch (UnreadableDefinitionException e) {
      return null;
    }
  }
}
