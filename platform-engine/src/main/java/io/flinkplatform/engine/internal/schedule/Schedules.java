package io.flinkplatform.engine.internal.schedule;

import static java.util.Objects.requireNonNull;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import io.flinkplatform.engine.ConflictException;
import io.flinkplatform.engine.InvalidRequestException;
import io.flinkplatform.engine.NotFoundException;
import io.flinkplatform.engine.StoreException;
import io.flinkplatform.engine.UnreadableScheduleException;
import io.flinkplatform.engine.access.Action;
import io.flinkplatform.engine.access.WorkspaceCaps;
import io.flinkplatform.engine.internal.access.Access;
import io.flinkplatform.engine.internal.access.Caller;
import io.flinkplatform.engine.internal.access.Caps;
import io.flinkplatform.engine.internal.common.Json;
import io.flinkplatform.engine.internal.definition.Definitions;
import io.flinkplatform.engine.internal.definition.TypedParameters;
import io.flinkplatform.engine.internal.store.FlowRow;
import io.flinkplatform.engine.internal.store.ScheduleRow;
import io.flinkplatform.engine.internal.store.Store;
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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Schedules as the client sees them: checked, stored, read, paused, deleted, previewed. It also
 * keeps the parsed cron of each schedule row for the schedule loop, and says when a row cannot be
 * fired here. Backfills are {@link Backfills}'.
 */
public final class Schedules {
  private static final Logger LOG = LoggerFactory.getLogger(Schedules.class);

  /** Parsed expressions, so that firing a schedule does not parse its cron again each time. */
  private static final Cache<String, Cron> PARSED =
      CacheBuilder.newBuilder().maximumSize(10_000).build();

  /** How many fire times the min cron interval cap looks at. */
  static final int CAP_SAMPLE = 200;

  private final Store store;
  private final Definitions definitions;
  private final Access access;
  private final Clock clock;

  public Schedules(Store store, Definitions definitions, Access access, Clock clock) {
    this.store = store;
    this.definitions = definitions;
    this.access = access;
    this.clock = clock;
  }

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

  /** Creates or replaces a schedule of the caller's workspace, with its audit row. */
  public Schedule save(Caller caller, ScheduleSpec spec) {
    long now = clock.millis();
    ScheduleRow row = ScheduleRows.check(spec, now);
    row.workspace = caller.workspace();
    row.updatedAt = now;
    row.createdAt = now;
    try {
      return insertOrUpdate(caller, spec, row, now);
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

  /** The shortest time between two of the schedule's next {@link #CAP_SAMPLE} fire times. */
  private static Duration shortestInterval(ScheduleRow row, long now) {
    List<FireTime> next = cron(row).preview(Instant.ofEpochMilli(now), CAP_SAMPLE, null);
    Duration shortest = ChronoUnit.FOREVER.getDuration();
    for (int i = 1; i < next.size(); i++) {
      Duration d = Duration.between(next.get(i - 1).instant(), next.get(i).instant());
      if (d.compareTo(shortest) < 0) {
        shortest = d;
      }
    }
    return shortest;
  }

  private Schedule insertOrUpdate(Caller caller, ScheduleSpec spec, ScheduleRow row, long now) {
    return store.tx(
        "save schedule '" + spec.name() + "'",
        m -> {
          WorkspaceCaps caps = Caps.of(m, caller.workspace());
          if (caps.minCronInterval().isPresent()) {
            Caps.checkCronInterval(caller.workspace(), caps, shortestInterval(row, now));
          }
          FlowRow flow = m.selectFlow(caller.workspace(), spec.workflowName(), null);
          if (flow == null) {
            throw new InvalidRequestException(
                "workflowName", "workflow '" + spec.workflowName() + "' is not deployed");
          }
          TypedParameters.checkRequest(
              definitions.get(flow.id).workflow, spec.parameters(), Instant.ofEpochMilli(now));
          ScheduleRow old = m.lockSchedule(caller.workspace(), spec.name(), null);
          Long from = old != null && old.lastFireAt != null ? Math.max(now, old.lastFireAt) : now;
          row.nextFireAt = next(cron(row), row, from);
          if (old == null) {
            m.insertSchedule(row);
          } else {
            row.id = old.id;
            row.lastFireAt = old.lastFireAt;
            m.updateSchedule(row);
          }
          access.audit(
              m,
              caller,
              Action.SCHEDULE_SAVE,
              "schedule:" + spec.name(),
              (old == null ? "created" : "replaced")
                  + ": workflow "
                  + spec.workflowName()
                  + ", cron '"
                  + row.cron
                  + "' "
                  + row.zone
                  + ", parameters "
                  + spec.parameters().keySet());
          return ScheduleRows.toSchedule(row);
        });
  }

  public List<FireTime> preview(Caller caller, ScheduleSpec spec, Instant from, int count) {
    if (count < 1 || count > 10_000) {
      throw new InvalidRequestException("count", "must be 1 to 10000 but was " + count);
    }
    ScheduleRow r = ScheduleRows.check(spec, clock.millis());
    Cron cron = cron(r);
    long start =
        r.startAt != null ? Math.max(from.toEpochMilli(), r.startAt - 1) : from.toEpochMilli();
    return cron.preview(
        Instant.ofEpochMilli(start), count, r.endAt == null ? null : Instant.ofEpochMilli(r.endAt));
  }

  /** The schedule; one whose row cannot be read here throws {@link UnreadableScheduleException}. */
  public Optional<Schedule> get(Caller caller, String name) {
    requireNonNull(name, "name is null");
    Optional<ScheduleRow> row =
        store
            .tx("read schedule '" + name + "'", m -> m.selectSchedules(caller.workspace(), name))
            .stream()
            .findFirst();
    if (row.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(ScheduleRows.toSchedule(row.get()));
    } catch (RuntimeException e) {
      throw new UnreadableScheduleException(
          row.get().name,
          e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(),
          e);
    }
  }

  /** Every schedule; a row that cannot be read here is left out (explainSchedule says why). */
  public List<Schedule> all(Caller caller) {
    List<Schedule> out = new ArrayList<>();
    for (ScheduleRow r :
        store.tx("read schedules", m -> m.selectSchedules(caller.workspace(), null))) {
      String problem = unreadable(r);
      if (problem == null) {
        out.add(ScheduleRows.toSchedule(r));
      } else {
        LOG.warn("schedule {} left out of the list: {}", r.name, problem);
      }
    }
    return List.copyOf(out);
  }

  public void setPaused(Caller caller, String name, boolean paused) {
    requireNonNull(name, "name is null");
    store.run(
        (paused ? "pause" : "resume") + " schedule '" + name + "'",
        m -> {
          ScheduleRow row = m.lockSchedule(caller.workspace(), name, null);
          if (row == null) {
            throw new NotFoundException("schedule '" + name + "' does not exist");
          }
          m.setSchedulePaused(row.id, paused, clock.millis());
          access.audit(
              m,
              caller,
              paused ? Action.SCHEDULE_PAUSE : Action.SCHEDULE_RESUME,
              "schedule:" + name,
              paused ? "paused" : "resumed");
        });
  }

  public boolean delete(Caller caller, String name) {
    requireNonNull(name, "name is null");
    return store.tx(
        "delete schedule '" + name + "'",
        m -> {
          ScheduleRow row = m.lockSchedule(caller.workspace(), name, null);
          boolean deleted = row != null && m.deleteSchedule(row.id) == 1;
          if (deleted) {
            access.audit(m, caller, Action.SCHEDULE_DELETE, "schedule:" + name, "deleted");
          }
          return deleted;
        });
  }
}
