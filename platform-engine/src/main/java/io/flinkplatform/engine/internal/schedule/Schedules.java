package io.flinkplatform.engine.internal.schedule;

import static java.util.Objects.requireNonNull;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import io.flinkplatform.engine.ConflictException;
import io.flinkplatform.engine.InvalidRequestException;
import io.flinkplatform.engine.NotFoundException;
import io.flinkplatform.engine.StoreException;
import io.flinkplatform.engine.UnreadableScheduleException;
import io.flinkplatform.engine.dag.Bounds;
import io.flinkplatform.engine.dag.DateMacros;
import io.flinkplatform.engine.internal.common.Json;
import io.flinkplatform.engine.internal.definition.Definitions;
import io.flinkplatform.engine.internal.definition.TypedParameters;
import io.flinkplatform.engine.internal.definition.WorkflowValidator;
import io.flinkplatform.engine.internal.progress.Runs;
import io.flinkplatform.engine.internal.store.Rows.BackfillRow;
import io.flinkplatform.engine.internal.store.Rows.FlowRow;
import io.flinkplatform.engine.internal.store.Rows.RunRow;
import io.flinkplatform.engine.internal.store.Rows.ScheduleRow;
import io.flinkplatform.engine.internal.store.Rows.StateCount;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.schedule.Backfill;
import io.flinkplatform.engine.schedule.BackfillRequest;
import io.flinkplatform.engine.schedule.DstGap;
import io.flinkplatform.engine.schedule.DstOverlap;
import io.flinkplatform.engine.schedule.FireTime;
import io.flinkplatform.engine.schedule.MisfirePolicy;
import io.flinkplatform.engine.schedule.OverlapPolicy;
import io.flinkplatform.engine.schedule.Schedule;
import io.flinkplatform.engine.schedule.ScheduleSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Schedules and backfills as the client sees them: checked, stored, read, previewed. */
public final class Schedules {
  private static final Logger LOG = LoggerFactory.getLogger(Schedules.class);
  private static final int MAX_NAME = 128;
  private final Store store;
  private final Definitions definitions;
  private final Clock clock;

  public Schedules(Store store, Definitions definitions, Clock clock) {
    this.store = store;
    this.definitions = definitions;
    this.clock = clock;
  }

  /** Parsed expressions, so that firing a schedule does not parse its cron again each time. */
  private static final Cache<String, Cron> PARSED =
      CacheBuilder.newBuilder().maximumSize(10_000).build();

  static Cron cron(ScheduleRow s) {
    String key = s.cron + '|' + s.zone + '|' + s.dstGap + '|' + s.dstOverlap;
    Cron cached = PARSED.getIfPresent(key);
    if (cached == null) {
      cached =
          Cron.parse(
              s.cron,
              ZoneId.of(s.zone),
              DstGap.valueOf(s.dstGap),
              DstOverlap.valueOf(s.dstOverlap));
      PARSED.put(key, cached);
    }
    return cached;
  }

  /**
   * Why this instance cannot fire the row (an unknown zone id or policy, a cron that does not
   * parse, parameters that are not a JSON object of strings), or null if it can.
   */
  static String unreadable(ScheduleRow s) {
    try {
      cron(s);
      MisfirePolicy.Kind.valueOf(s.misfire);
      OverlapPolicy.Kind.valueOf(s.overlap);
      Json.stringMap(s.params);
      return null;
    } catch (RuntimeException e) {
      return "its row cannot be read here: "
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
  }

  /** The schedule's first fire time after {@code after} within its bounds, or null. */
  static Long next(Cron cron, ScheduleRow s, long after) {
    long from = s.startAt != null ? Math.max(after, s.startAt - 1) : after;
    Optional<FireTime> f = cron.next(Instant.ofEpochMilli(from));
    if (f.isEmpty()) {
      return null;
    }
    long at = f.get().instant().toEpochMilli();
    return s.endAt != null && at > s.endAt ? null : at;
  }

  public Schedule save(ScheduleSpec spec) {
    long now = clock.millis();
    ScheduleRow row = check(spec, now);
    row.updatedAt = now;
    row.createdAt = now;
    try {
      return insertOrUpdate(spec, row, now);
    } catch (StoreException e) {
      if (Store.isDuplicateKey(e, "uk_schedule_name")) {
        // FOR UPDATE on a missing row takes no gap lock at READ COMMITTED: a concurrent save
        // created the same name between our read and our insert
        throw new ConflictException(
            "schedule '"
                + spec.name()
                + "' was created by a concurrent request while this one created it; nothing of"
                + " this request was saved; save it again to update that schedule",
            e);
      }
      throw e;
    }
  }

  private Schedule insertOrUpdate(ScheduleSpec spec, ScheduleRow row, long now) {
    return store.tx(
        "save schedule '" + spec.name() + "'",
        m -> {
          FlowRow flow = m.selectFlow(spec.workflowName(), null);
          if (flow == null) {
            throw new InvalidRequestException(
                "workflowName", "workflow '" + spec.workflowName() + "' is not deployed");
          }
          TypedParameters.checkRequest(
              definitions.get(flow.id).workflow, spec.parameters(), Instant.ofEpochMilli(now));
          ScheduleRow old = m.lockSchedule(spec.name(), null);
          Long from = old != null && old.lastFireAt != null ? Math.max(now, old.lastFireAt) : now;
          row.nextFireAt = next(cron(row), row, from);
          if (old == null) {
            m.insertSchedule(row);
          } else {
            row.id = old.id;
            row.lastFireAt = old.lastFireAt;
            m.updateSchedule(row);
          }
          return toSchedule(row);
        });
  }

  /**
   * Checks every field, and that the cron fires at all after {@code now}; the row it returns has no
   * id and no fire times yet.
   */
  private static ScheduleRow check(ScheduleSpec spec, long now) {
    requireNonNull(spec, "spec is null");
    // the rule of workflow names: a schedule's name goes into logs and events, so it must not
    // carry line breaks or other control characters (and it is not echoed here for that reason)
    if (spec.name().length() > MAX_NAME || !WorkflowValidator.ID.matcher(spec.name()).matches()) {
      throw new InvalidRequestException(
          "name",
          "must be 1 to "
              + MAX_NAME
              + " letters, digits, '_', '.' or '-', starting with a letter or digit ("
              + WorkflowValidator.ID.pattern()
              + ")");
    }
    if (spec.misfireThreshold().isNegative()) {
      throw new InvalidRequestException(
          "misfireThreshold", "must be zero or positive but was " + spec.misfireThreshold());
    }
    if (spec.startAt().isPresent()
        && spec.endAt().isPresent()
        && !spec.endAt().get().isAfter(spec.startAt().get())) {
      throw new InvalidRequestException(
          "endAt", "must be after startAt (" + spec.startAt().get() + ")");
    }
    if (spec.cron().trim().length() > Bounds.MAX_CRON) {
      throw new InvalidRequestException(
          "cron",
          spec.cron().trim().length()
              + " characters, more than the "
              + Bounds.MAX_CRON
              + " allowed");
    }
    Cron cron = Cron.parse(spec.cron(), spec.zone(), spec.dstGap(), spec.dstOverlap());
    if (cron.next(Instant.ofEpochMilli(now)).isEmpty()) {
      throw new InvalidRequestException(
          "cron",
          "'"
              + spec.cron().trim()
              + "' never fires after "
              + Instant.ofEpochMilli(now)
              + " (a day that no month has, such as 30 February, or only years that are past)");
    }
    ScheduleRow r = new ScheduleRow();
    r.name = spec.name();
    r.flowName = spec.workflowName();
    r.cron = spec.cron().trim();
    r.zone = spec.zone().getId();
    r.startAt = spec.startAt().map(Instant::toEpochMilli).orElse(null);
    r.endAt = spec.endAt().map(Instant::toEpochMilli).orElse(null);
    r.paused = spec.paused();
    r.dstGap = spec.dstGap().name();
    r.dstOverlap = spec.dstOverlap().name();
    r.misfire = spec.misfire().kind().name();
    r.catchUpLimit = spec.misfire().limit();
    r.misfireAfterMs = spec.misfireThreshold().toMillis();
    r.overlap = spec.overlap().kind().name();
    r.maxParallel = spec.overlap().maxParallel();
    r.params = Json.write(spec.parameters());
    return r;
  }

  public List<FireTime> preview(ScheduleSpec spec, Instant from, int count) {
    if (count < 1 || count > 10_000) {
      throw new InvalidRequestException("count", "must be 1 to 10000 but was " + count);
    }
    ScheduleRow r = check(spec, clock.millis());
    Cron cron = cron(r);
    long start =
        r.startAt != null ? Math.max(from.toEpochMilli(), r.startAt - 1) : from.toEpochMilli();
    return cron.preview(
        Instant.ofEpochMilli(start), count, r.endAt == null ? null : Instant.ofEpochMilli(r.endAt));
  }

  /** The schedule; one whose row cannot be read here throws {@link UnreadableScheduleException}. */
  public Optional<Schedule> get(String name) {
    requireNonNull(name, "name is null");
    Optional<ScheduleRow> row =
        store.tx("read schedule '" + name + "'", m -> m.selectSchedules(name)).stream().findFirst();
    if (row.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(toSchedule(row.get()));
    } catch (RuntimeException e) {
      throw new UnreadableScheduleException(
          row.get().name,
          e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(),
          e);
    }
  }

  /** Every schedule; a row that cannot be read here is left out (explainSchedule says why). */
  public List<Schedule> all() {
    List<Schedule> out = new ArrayList<>();
    for (ScheduleRow r : store.tx("read schedules", m -> m.selectSchedules(null))) {
      String problem = unreadable(r);
      if (problem == null) {
        out.add(toSchedule(r));
      } else {
        LOG.warn("schedule {} left out of the list: {}", r.name, problem);
      }
    }
    return List.copyOf(out);
  }

  public void setPaused(String name, boolean paused) {
    requireNonNull(name, "name is null");
    store.run(
        (paused ? "pause" : "resume") + " schedule '" + name + "'",
        m -> {
          ScheduleRow row = m.lockSchedule(name, null);
          if (row == null) {
            throw new NotFoundException("schedule '" + name + "' does not exist");
          }
          m.setSchedulePaused(row.id, paused, clock.millis());
        });
  }

  public boolean delete(String name) {
    requireNonNull(name, "name is null");
    return store.tx(
        "delete schedule '" + name + "'",
        m -> {
          ScheduleRow row = m.lockSchedule(name, null);
          return row != null && m.deleteSchedule(row.id) == 1;
        });
  }

  static Schedule toSchedule(ScheduleRow r) {
    MisfirePolicy misfire =
        new MisfirePolicy(MisfirePolicy.Kind.valueOf(r.misfire), r.catchUpLimit);
    ScheduleSpec spec =
        new ScheduleSpec(
            r.name,
            r.flowName,
            r.cron,
            ZoneId.of(r.zone),
            Optional.ofNullable(r.startAt).map(Instant::ofEpochMilli),
            Optional.ofNullable(r.endAt).map(Instant::ofEpochMilli),
            DstGap.valueOf(r.dstGap),
            DstOverlap.valueOf(r.dstOverlap),
            misfire,
            Duration.ofMillis(r.misfireAfterMs),
            new OverlapPolicy(OverlapPolicy.Kind.valueOf(r.overlap), r.maxParallel),
            Json.stringMap(r.params),
            r.paused);
    return new Schedule(
        r.id,
        spec,
        r.paused,
        Optional.ofNullable(r.nextFireAt).map(Instant::ofEpochMilli),
        Optional.ofNullable(r.lastFireAt).map(Instant::ofEpochMilli));
  }

  // --- backfills

  /** Creates the backfill and all its runs, held; admission starts them in order. */
  public long backfill(BackfillRequest request) {
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
          FlowRow flow = m.selectFlow(request.workflowName(), null);
          if (flow == null) {
            throw new InvalidRequestException(
                "workflowName", "workflow '" + request.workflowName() + "' is not deployed");
          }
          Map<String, String> params = new java.util.LinkedHashMap<>(request.parameters());
          params.putIfAbsent(DateMacros.TIMEZONE, request.zone().getId());
          TypedParameters.checkRequest(
              definitions.get(flow.id).workflow, params, dates.get(0).instant());
          BackfillRow b = new BackfillRow();
          b.flowName = flow.name;
          b.firstDate = dates.get(0).instant().toEpochMilli();
          b.lastDate = dates.get(dates.size() - 1).instant().toEpochMilli();
          b.runs = dates.size();
          b.parallelism = request.parallelism();
          b.state = Backfill.State.RUNNING.name();
          b.createdAt = now;
          m.insertBackfill(b);
          List<RunRow> runs = new ArrayList<>(dates.size());
          for (FireTime d : dates) {
            RunRow r = Runs.newRun(flow, params, d.instant().toEpochMilli(), now, RunState.CREATED);
            r.backfillId = b.id;
            r.maxActive = request.parallelism();
            runs.add(r);
          }
          Runs.insert(m, definitions, runs, now);
          return b.id;
        });
  }

  public Backfill backfillStatus(long id) {
    return store.tx(
        "read backfill " + id,
        m -> {
          BackfillRow b = m.selectBackfill(id, false);
          if (b == null) {
            throw new NotFoundException("backfill " + id + " does not exist");
          }
          Map<RunState, Integer> counts = new EnumMap<>(RunState.class);
          for (StateCount c : m.countRunsOfBackfill(id)) {
            counts.put(RunState.valueOf(c.state), c.count);
          }
          Backfill.State state = Backfill.State.valueOf(b.state);
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
        });
  }

  /**
   * Marks the backfill cancelled in one transaction (no held run starts after it) and returns the
   * runs to kill, held and active; empty if it had ended or was cancelled already.
   */
  public Optional<List<Long>> cancelBackfill(long id) {
    return store.tx(
        "cancel backfill " + id,
        m -> {
          BackfillRow b = m.selectBackfill(id, true);
          if (b == null) {
            throw new NotFoundException("backfill " + id + " does not exist");
          }
          if (!Backfill.State.RUNNING.name().equals(b.state)) {
            return Optional.<List<Long>>empty();
          }
          boolean open =
              m.countRunsOfBackfill(id).stream()
                  .anyMatch(c -> !RunState.valueOf(c.state).isFinal());
          if (!open) {
            return Optional.<List<Long>>empty();
          }
          m.setBackfillState(id, Backfill.State.CANCELLED.name(), clock.millis());
          return Optional.of(
              m.selectActiveRunIds(null, id, List.of("CREATED", "RUNNING", "KILLING")));
        });
  }
}
