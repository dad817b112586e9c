package io.flinkplatform.engine.internal.schedule;

import static java.util.Objects.requireNonNull;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import io.flinkplatform.engine.ConflictException;
import io.flinkplatform.engine.InvalidRequestException;
import io.flinkplatform.engine.NotFoundException;
import io.flinkplatform.engine.StoreException;
import io.flinkplatform.engine.UnreadableScheduleException;
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
import java.time.Instant;
import java.time.ZoneId;
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

  private final Store store;
  private final Definitions definitions;
  private final Clock clock;

  public Schedules(Store store, Definitions definitions, Clock clock) {
    this.store = store;
    this.definitions = definitions;
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

  public Schedule save(ScheduleSpec spec) {
    long now = clock.millis();
    ScheduleRow row = ScheduleRows.check(spec, now);
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
          return ScheduleRows.toSchedule(row);
        });
  }

  public List<FireTime> preview(ScheduleSpec spec, Instant from, int count) {
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
  public Optional<Schedule> get(String name) {
    requireNonNull(name, "name is null");
    Optional<ScheduleRow> row =
        store.tx("read schedule '" + name + "'", m -> m.selectSchedules(name)).stream().findFirst();
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
  public List<Schedule> all() {
    List<Schedule> out = new ArrayList<>();
    for (ScheduleRow r : store.tx("read schedules", m -> m.selectSchedules(null))) {
      String problem = unreadable(r);
      if (problem == null) {
        out.add(ScheduleRows.toSchedule(r));
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
}
