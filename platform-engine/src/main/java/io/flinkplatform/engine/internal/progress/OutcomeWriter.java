package io.flinkplatform.engine.internal.progress;

import com.google.common.collect.Lists;
import io.flinkplatform.engine.dag.TaskDefinition;
import io.flinkplatform.engine.event.PlatformEvent;
import io.flinkplatform.engine.internal.common.Json;
import io.flinkplatform.engine.internal.common.Texts;
import io.flinkplatform.engine.internal.definition.Dag;
import io.flinkplatform.engine.internal.definition.Definitions;
import io.flinkplatform.engine.internal.definition.UnreadableDefinitionException;
import io.flinkplatform.engine.internal.model.Attempt;
import io.flinkplatform.engine.internal.model.Ending;
import io.flinkplatform.engine.internal.model.Retry;
import io.flinkplatform.engine.internal.model.RunModel;
import io.flinkplatform.engine.internal.progress.DownstreamResolver.Step;
import io.flinkplatform.engine.internal.store.AttemptRow;
import io.flinkplatform.engine.internal.store.RunRow;
import io.flinkplatform.engine.internal.store.StoreMapper;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskState;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a batch of outcomes in the caller's transaction: ends the attempts whose fencing epoch
 * still holds, inserts the retries the run model grants, has the tasks downstream decided, and
 * closes the runs left with nothing to run. An outcome whose epoch no longer holds is rejected as
 * stale; one that a retried batch finds already stored by its own earlier commit is counted.
 */
final class OutcomeWriter {
  private final Definitions definitions;
  private final Clock clock;
  private final DownstreamResolver downstream;
  private final RunCloser closer;

  OutcomeWriter(
      Definitions definitions, Clock clock, DownstreamResolver downstream, RunCloser closer) {
    this.definitions = definitions;
    this.clock = clock;
    this.downstream = downstream;
    this.closer = closer;
  }

  Progress.Changes complete(StoreMapper m, List<Result> results) {
    Progress.Changes c = new Progress.Changes();
    long now = clock.millis();
    Map<Long, RunRow> runs =
        Progress.lockRuns(m, results.stream().map(r -> r.claim().run().id).toList());
    Map<Long, AttemptRow> current = new HashMap<>();
    m.lockAttempts(results.stream().map(r -> r.claim().id()).toList())
        .forEach(a -> current.put(a.id, a));
    List<AttemptRow> writes = new ArrayList<>();
    List<AttemptRow> retries = new ArrayList<>();
    Map<Long, RunModel> models = new HashMap<>();
    List<Step> finished = new ArrayList<>();
    Set<Long> touched = new LinkedHashSet<>();
    Map<Long, String> unreadable = new HashMap<>();
    for (Result r : results) {
      AttemptRow a = r.claim().attempt();
      AttemptRow now0 = current.get(a.id);
      if (now0 != null && now0.epoch == a.epoch && alreadyApplied(now0, r, runs.get(a.flowRunId))) {
        // a retry of a batch whose commit went through although it looked failed: nothing
        // changed since (the epoch holds), so this outcome and its consequences are stored
        c.alreadyApplied++;
        c.readyAt(now); // the wake-up of that commit was lost: look for what it made ready
        RunRow run = runs.get(a.flowRunId); // alreadyApplied found it
        c.events.add(Progress.taskEvent(now, run, a.taskId, a.attempt, now0.state, r.message()));
        if (run.state.isFinal()) {
          c.closedRuns.add(run.id);
        }
        continue;
      }
      if (now0 == null || now0.epoch != a.epoch || TaskState.RUNNING != now0.state) {
        c.stale.add(r);
        c.events.add(
            new PlatformEvent.StaleWriteRejected(
                Instant.ofEpochMilli(now), a.id, a.epoch, a.owner, "outcome " + r.state()));
        continue;
      }
      RunRow run = runs.get(a.flowRunId);
      RunState runState = run.state;
      Dag dag;
      try {
        dag = definitions.get(run.flowId);
      } catch (UnreadableDefinitionException e) {
        // nothing downstream can be decided and no retry policy read: the run ends FAILED, with
        // its unstarted tasks, instead of this batch failing on every retry
        TaskState state = RunModel.endState(runState, r.state());
        writes.add(ending(a, state, r));
        c.events.add(Progress.taskEvent(now, run, a.taskId, a.attempt, state, r.message()));
        touched.add(run.id);
        unreadable.put(run.id, e.getMessage());
        continue;
      }
      RunModel model = models.computeIfAbsent(run.id, k -> new RunModel(dag.graph, runState));
      // a release stays a fact of the attempt: the RUNNING edges it fired stay fired
      Attempt running =
          new Attempt(
              a.id, a.attempt, a.rerunBase, TaskState.RUNNING, null, now0.releasedAt != null);
      Ending e = model.end(a.taskId, running, r.state(), r.retryable(), chosen(r));
      writes.add(ending(a, e.state(), r));
      c.events.add(Progress.taskEvent(now, run, a.taskId, a.attempt, e.state(), r.message()));
      touched.add(run.id);
      if (e.retry() != null) {
        retries.add(retry(run, dag.tasks.get(a.taskId), a, e.retry(), now, c));
      } else if (e.advances()) {
        finished.add(new Step(run.id, a.taskId));
      }
    }
    end(m, writes, now);
    if (!retries.isEmpty()) {
      m.insertAttempts(retries);
    }
    unreadable.forEach((runId, why) -> m.failUnstarted(runId, notStarted(why), now));
    Set<Long> goingOn = new HashSet<>(downstream.advance(m, runs, models, finished, now, c));
    retries.forEach(r -> goingOn.add(r.flowRunId));
    closer.closeIfDone(m, touched.stream().map(runs::get).toList(), goingOn, now, c);
    return c;
  }

  /** The new READY attempt of a retry, not claimable before its backoff ends. */
  private static AttemptRow retry(
      RunRow run, TaskDefinition def, AttemptRow a, Retry retry, long now, Progress.Changes c) {
    long readyAt = now + retry.delay().toMillis();
    AttemptRow row =
        AttemptRow.of(
            run.id,
            run.flowId,
            def,
            retry.attempt(),
            TaskState.READY,
            (long) run.priority + def.priority(),
            readyAt,
            now);
    row.rerunBase = a.rerunBase;
    c.events.add(
        Progress.taskEvent(
            now,
            run,
            a.taskId,
            retry.attempt(),
            TaskState.READY,
            retry.describe(Instant.ofEpochMilli(readyAt))));
    c.readyAt(readyAt);
    return row;
  }

  /** The downstream ids a success chose, or null for no choice. */
  private static Set<String> chosen(Result r) {
    return r.state() == TaskState.SUCCESS && r.branches() != null
        ? Json.stringSet(r.branches())
        : null;
  }

  /**
   * Whether the attempt, still on the claim's epoch, already ended as {@code r} would end it. Only
   * the claim's owner ends an attempt on its epoch (any other ending comes after a new claim, which
   * raises the epoch), so this is the owner's own earlier commit of {@code r}.
   */
  private static boolean alreadyApplied(AttemptRow current, Result r, RunRow run) {
    if (TaskState.RUNNING == current.state || run == null) {
      return false;
    }
    // a FAILED outcome is stored as KILLED when its run was being killed
    return r.state() == current.state
        || (r.state() == TaskState.FAILED && TaskState.KILLED == current.state);
  }

  /**
   * Attempts ending alike ({@link #bare}, one state and epoch) in a group of at least this many are
   * ended by {@code finishAttemptsAlike}, which names each by its id alone; smaller groups join the
   * other ends, so that a batch of many epochs does not become a statement per attempt.
   */
  static final int ALIKE = 8;

  /**
   * Writes the ends: groups of attempts ending alike in statements of their own, the others with
   * their own values in {@link #chunks}. The attempts are locked, so the order does not matter.
   */
  static void end(StoreMapper m, List<AttemptRow> writes, long now) {
    Map<Alike, List<AttemptRow>> alike = new LinkedHashMap<>();
    List<AttemptRow> others = new ArrayList<>();
    for (AttemptRow w : writes) {
      if (bare(w)) {
        alike.computeIfAbsent(new Alike(w.state, w.epoch), k -> new ArrayList<>()).add(w);
      } else {
        others.add(w);
      }
    }
    boolean oneGroup = others.isEmpty() && alike.size() == 1;
    alike.forEach(
        (a, rows) -> {
          if (rows.size() < ALIKE && !oneGroup) {
            others.addAll(rows);
            return;
          }
          for (List<AttemptRow> chunk : Lists.partition(rows, Progress.CHUNK)) {
            m.finishAttemptsAlike(
                a.state(), a.epoch(), chunk.stream().map(w -> w.id).toList(), now);
          }
        });
    for (List<AttemptRow> chunk : chunks(others)) {
      m.finishAttempts(chunk, now);
    }
  }

  private record Alike(TaskState state, long epoch) {}

  /** Whether the end carries nothing but its state: no outputs, message, log or branches. */
  private static boolean bare(AttemptRow w) {
    return w.outputs == null && w.message == null && w.logPath == null && w.branches == null;
  }

  /** Most characters of outputs and messages one statement of attempt ends carries. */
  static final int MAX_STATEMENT_TEXT = 2 << 20;

  /**
   * The ends in statements of at most {@link Progress#CHUNK} attempts and about {@link
   * #MAX_STATEMENT_TEXT} characters of outputs and messages: a batch of large outputs in one
   * statement could exceed the server's packet limit ({@code max_allowed_packet}, 16 MiB by
   * default; an attempt may carry 65,000 characters), and a batch that fails for its size fails
   * again on every retry.
   */
  static List<List<AttemptRow>> chunks(List<AttemptRow> writes) {
    List<List<AttemptRow>> out = new ArrayList<>();
    int from = 0;
    long text = 0;
    for (int i = 0; i < writes.size(); i++) {
      AttemptRow w = writes.get(i);
      long size = length(w.outputs) + length(w.message) + length(w.branches);
      if (i > from && (i - from == Progress.CHUNK || text + size > MAX_STATEMENT_TEXT)) {
        out.add(writes.subList(from, i));
        from = i;
        text = 0;
      }
      text += size;
    }
    if (from < writes.size()) {
      out.add(writes.subList(from, writes.size()));
    }
    return out;
  }

  private static long length(String s) {
    return s == null ? 0 : s.length();
  }

  private static AttemptRow ending(AttemptRow a, TaskState state, Result r) {
    AttemptRow w = new AttemptRow();
    w.id = a.id;
    w.epoch = a.epoch;
    w.state = state;
    w.outputs = r.outputs();
    w.message = r.message();
    w.logPath = r.logPath();
    w.branches = state == TaskState.SUCCESS ? r.branches() : null;
    return w;
  }

  private static String notStarted(String why) {
    String message = "not started: " + why;
    return message.length() <= Result.MAX_MESSAGE
        ? message
        : Texts.prefix(message, Result.MAX_MESSAGE - 20) + " ... (cut)";
  }
}
