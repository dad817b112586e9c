package io.flinkplatform.engine.internal.schedule;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.engine.InvalidRequestException;
import io.flinkplatform.engine.NotFoundException;
import io.flinkplatform.engine.access.Action;
import io.flinkplatform.engine.dag.DateMacros;
import io.flinkplatform.engine.internal.access.Access;
import io.flinkplatform.engine.internal.access.Caller;
import io.flinkplatform.engine.internal.access.Caps;
import io.flinkplatform.engine.internal.definition.Definitions;
import io.flinkplatform.engine.internal.definition.TypedParameters;
import io.flinkplatform.engine.internal.progress.Runs;
import io.flinkplatform.engine.internal.store.BackfillRow;
import io.flinkplatform.engine.internal.store.FlowRow;
import io.flinkplatform.engine.internal.store.RunRow;
import io.flinkplatform.engine.internal.store.StateCount;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.engine.internal.store.StoreMapper;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.schedule.Backfill;
import io.flinkplatform.engine.schedule.BackfillRequest;
import io.flinkplatform.engine.schedule.DstGap;
import io.flinkplatform.engine.schedule.DstOverlap;
import io.flinkplatform.engine.schedule.FireTime;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Backfills: one run per date a cron gives in a range, all created held in one transaction and
 * started in order by admission, at most the backfill's parallelism at a time; their status, and
 * their cancellation.
 */
public final class Backfills {
  private final Store store;
  private final Definitions definitions;
  private final Access access;
  private final Clock clock;

  public Backfills(Store store, Definitions definitions, Access access, Clock clock) {
    this.store = store;
    this.definitions = definitions;
    this.access = access;
    this.clock = clock;
  }

  /**
   * Creates a backfill of a workflow of the caller's workspace and all its runs, held, with its
   * audit row; admission starts them in order.
   */
  public long create(Caller caller, BackfillRequest request) {
    requireNonNull(request, "request is null");
    if (request.parallelism() < 1 || request.parallelism() > 1000) {
      throw new InvalidRequestException(
          "parallelism", "must be 1 to 1000 but was " + request.parallelism());
    }
    if (request.to().isBefore(request.from())) {
      throw new InvalidRequestException("to", "must not be before from (" + request.from() + ")");
    }
    Cron cron = Cron.parse(request.cron(), request.zone(), DstGap.SKIP, DstOverlap.ONCE);
    List<FireTime> dates =
        cron.preview(request.from().minusMillis(1), BackfillRequest.MAX_RUNS + 1, request.to());
    if (dates.isEmpty()) {
      throw new InvalidRequestException(
          "cron",
          "'" + request.cron() + "' gives no date from " + request.from() + " to " + request.to());
    }
    if (dates.size() > BackfillRequest.MAX_RUNS) {
      throw new InvalidRequestException(
          "to", "the range gives more than " + BackfillRequest.MAX_RUNS + " runs; split it");
    }
    long now = clock.millis();
    return store.tx(
        "backfill '" + request.workflowName() + "'",
        m -> {
          Caps.checkBackfill(caller.workspace(), Caps.of(m, caller.workspace()), dates.size());
          FlowRow flow = m.selectFlow(caller.workspace(), request.workflowName(), null);
          if (flow == null) {
            throw new InvalidRequestException(
                "workflowName", "workflow '" + request.workflowName() + "' is not deployed");
          }
          Map<String, String> params = new LinkedHashMap<>(request.parameters());
          params.putIfAbsent(DateMacros.TIMEZONE, request.zone().getId());
          TypedParameters.checkRequest(
              definitions.get(flow.id).workflow, params, dates.get(0).instant());
          BackfillRow b = new BackfillRow();
          b.workspace = caller.workspace();
          b.createdBy = caller.name();
          b.flowName = flow.name;
          b.firstDate = dates.get(0).instant().toEpochMilli();
          b.lastDate = dates.get(dates.size() - 1).instant().toEpochMilli();
          b.runs = dates.size();
          b.parallelism = request.parallelism();
          b.state = Backfill.State.RUNNING;
          b.createdAt = now;
          m.insertBackfill(b);
          List<RunRow> runs = new ArrayList<>(dates.size());
          for (FireTime d : dates) {
            RunRow r =
                Runs.newRun(
                    flow, params, d.instant().toEpochMilli(), now, RunState.CREATED, caller.name());
            r.backfillId = b.id;
            r.maxActive = request.parallelism();
            runs.add(r);
          }
          Runs.insert(m, definitions, runs, now);
          access.audit(
              m,
              caller,
              Action.BACKFILL,
              "backfill:" + b.id,
              "workflow "
                  + flow.name
                  + ", "
                  + b.runs
                  + " run(s) from "
                  + dates.get(0).instant()
                  + " to "
                  + dates.get(dates.size() - 1).instant()
                  + ", parallelism "
                  + b.parallelism);
          return b.id;
        });
  }

  public Backfill status(Caller caller, long id) {
    return store.tx(
        "read backfill " + id,
        m -> {
          BackfillRow b = m.selectBackfill(id, false);
          if (b == null || !b.workspace.equals(caller.workspace())) {
            throw new NotFoundException("backfill " + id + " does not exist");
          }
          return progress(m, b);
        });
  }

  /** The workspace's newest {@code limit} backfills, newest first, with their progress. */
  public List<Backfill> list(Caller caller, int limit) {
    return store.tx(
        "list backfills",
        m -> {
          List<Backfill> out = new ArrayList<>();
          for (BackfillRow b : m.selectBackfills(caller.workspace(), limit)) {
            out.add(progress(m, b));
          }
          return List.copyOf(out);
        });
  }

  /** A backfill with its runs counted by state; RUNNING until none of its runs is left open. */
  private static Backfill progress(StoreMapper m, BackfillRow b) {
    Map<RunState, Integer> counts = new EnumMap<>(RunState.class);
    for (StateCount c : m.countRunsOfBackfill(b.id)) {
      counts.put(c.state, c.count);
    }
    Backfill.State state = b.state;
    if (state == Backfill.State.RUNNING) {
      boolean open = counts.keySet().stream().anyMatch(s -> !s.isFinal());
      if (!open) {
        state =
            counts.getOrDefault(RunState.SUCCESS, 0) == b.runs
                ? Backfill.State.SUCCESS
                : Backfill.State.FAILED;
      }
    }
    return new Backfill(
        b.id,
        b.flowName,
        Instant.ofEpochMilli(b.firstDate),
        Instant.ofEpochMilli(b.lastDate),
        b.runs,
        b.parallelism,
        state,
        counts);
  }

  /**
   * Marks the backfill cancelled in one transaction (no held run starts after it) and returns the
   * runs to kill, held and active; empty if it had ended or was cancelled already.
   */
  public Optional<List<Long>> cancel(Caller caller, long id) {
    return store.tx(
        "cancel backfill " + id,
        m -> {
          BackfillRow b = m.selectBackfill(id, true);
          if (b == null || !b.workspace.equals(caller.workspace())) {
            throw new NotFoundException("backfill " + id + " does not exist");
          }
          if (Backfill.State.RUNNING != b.state) {
            return Optional.<List<Long>>empty();
          }
          boolean open = m.countRunsOfBackfill(id).stream().anyMatch(c -> !c.state.isFinal());
          if (!open) {
            return Optional.<List<Long>>empty();
          }
          m.setBackfillState(id, Backfill.State.CANCELLED, clock.millis());
          List<Long> kills =
              m.selectActiveRunIds(
                  null, id, List.of(RunState.CREATED, RunState.RUNNING, RunState.KILLING));
          access.audit(
              m,
              caller,
              Action.BACKFILL_CANCEL,
              "backfill:" + id,
              "cancelled; " + kills.size() + " run(s) killed: " + kills);
          return Optional.of(kills);
        });
  }
}
