package io.flinkplatform.engine.internal.alert;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.engine.alert.AlertKind;
import io.flinkplatform.engine.alert.AlertSettings;
import io.flinkplatform.engine.event.PlatformEvent;
import io.flinkplatform.engine.event.PlatformEvent.RunStateChanged;
import io.flinkplatform.engine.event.PlatformEvent.ScheduleFireSkipped;
import io.flinkplatform.engine.event.PlatformEvent.ScheduleMisfired;
import io.flinkplatform.engine.event.PlatformEvent.TaskStateChanged;
import io.flinkplatform.engine.internal.common.Outage;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.engine.internal.store.StoreMapper;
import io.flinkplatform.engine.internal.store.WorkerRow;
import io.flinkplatform.engine.run.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns committed-with-it changes into alerts: called inside the transaction of a change with the
 * events it will emit, it writes one alert (and a delivery per channel) for every enabled rule that
 * matches an event, so that the alert exists exactly when the change does. It costs no statement
 * when no rule of the events' kinds exists: the rules are kept in memory ({@link RuleCache}), read
 * again every {@link AlertSettings#ruleRefresh()} (with the caller's transaction, and only when an
 * event could raise something) and at once after a rule change on this instance.
 *
 * <p>Which change raises which kind, and its dedup key, is listed in docs/alerts.md ("When alerts
 * are raised").
 */
public final class AlertRaiser {
  private static final Logger LOG = LoggerFactory.getLogger(AlertRaiser.class);

  /** Raises nothing (alerts are disabled on this instance). */
  public static final AlertRaiser NONE = new AlertRaiser();

  /** The kinds a failed task raises. */
  private static final Set<AlertKind> TASK_KINDS =
      EnumSet.of(AlertKind.TASK_FAILED, AlertKind.TASK_RETRIED);

  private final boolean enabled;
  private final String instance;
  private final RuleCache rules;
  private final Store store;
  private final Links links;
  private final TaskLabels labels;
  private final AlertWriter writer = new AlertWriter();

  /** The instance's database outage being reported: [start, end] of the merged loops' outages. */
  private long outageStart = -1;

  private long outageEnd = -1;

  /** The routing label of a task of a deployed workflow version, or null if it has none. */
  @FunctionalInterface
  public interface TaskLabels {
    String labelOf(long flowId, String taskId);
  }

  private AlertRaiser() {
    this.enabled = false;
    this.instance = "-";
    this.rules = null;
    this.store = null;
    this.links = null;
    this.labels = null;
  }

  /**
   * @param store for the database outage alert, which has a transaction of its own
   * @param instance this instance's name (in outage and lost-instance facts)
   * @param settings whether alerts are raised and how soon rule changes are seen
   * @param consoleBase the console's public address with its base path (no trailing slash), or
   *     null: alerts then carry no link
   * @param labels the routing labels of tasks, for rules with a label filter
   */
  public AlertRaiser(
      Store store, String instance, AlertSettings settings, String consoleBase, TaskLabels labels) {
    this.store = requireNonNull(store, "store is null");
    this.instance = requireNonNull(instance, "instance is null");
    this.enabled = requireNonNull(settings, "settings is null").enabled();
    this.rules = new RuleCache(settings.ruleRefresh());
    this.links = new Links(consoleBase);
    this.labels = requireNonNull(labels, "labels is null");
  }

  /** {@code <publicUri><basePath>}: where the links of alerts point, or null without an address. */
  public static String consoleBase(java.net.URI publicUri, String basePath) {
    return Links.base(publicUri, basePath);
  }

  /** Whether this raiser raises anything. */
  public boolean enabled() {
    return enabled;
  }

  /** The rules are read again before the next alert is raised (a rule changed here). */
  public void rulesChanged() {
    if (enabled) {
      rules.invalidate();
    }
  }

  /**
   * Inside the caller's transaction: writes the alerts that {@code events} raise; returns whether
   * it wrote any (the caller tells the delivery loop after its commit).
   */
  public boolean raise(StoreMapper m, List<? extends PlatformEvent> events, long now) {
    if (!enabled || events.isEmpty()) {
      return false;
    }
    Set<AlertKind> kinds = kindsOf(events);
    if (kinds.isEmpty() || !rules.anyOf(kinds, m)) {
      return false;
    }
    Raising r = new Raising(m, rules, links, labels);
    List<Raising.Candidate> found = r.occurrences(events);
    return write(m, found, now) > 0;
  }

  /**
   * Inside the reaper's transaction: {@code owners} (worker names) had attempts re-queued because
   * their lease lapsed, {@code counts} of them each; raises INSTANCE_LOST once per owner and lease.
   */
  public boolean instanceLost(StoreMapper m, Map<String, Integer> counts, long now) {
    if (!enabled || counts.isEmpty() || !rules.anyOf(Set.of(AlertKind.INSTANCE_LOST), m)) {
      return false;
    }
    List<Raising.Candidate> found = new ArrayList<>();
    Map<String, WorkerRow> workers = new LinkedHashMap<>();
    m.selectWorkersByName(counts.keySet()).forEach(w -> workers.put(w.name, w));
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      WorkerRow w = workers.get(e.getKey());
      long lease = w == null ? 0 : w.leaseUntil;
      String name = w == null || w.instanceName == null ? e.getKey() : w.instanceName;
      Map<String, String> facts = new LinkedHashMap<>();
      facts.put("instance", name);
      facts.put("worker", e.getKey());
      facts.put(
          "message",
          e.getValue()
              + " running attempt(s) re-queued"
              + (w == null ? "" : "; its lease ended at " + Instant.ofEpochMilli(lease)));
      Occurrence o = new Occurrence("lost:" + e.getKey() + ":" + lease, null, null, null, facts);
      for (StoredRule rule : rules.of(AlertKind.INSTANCE_LOST)) {
        found.add(new Raising.Candidate(rule, o));
      }
    }
    return write(m, found, now) > 0;
  }

  /**
   * A loop of this instance reached the database again after failing to from {@code since} to
   * {@code until}: raises DATABASE_UNREACHABLE in a transaction of its own for the rules whose
   * {@code after} the outage outlasted, once per outage of the instance (loops whose outages
   * overlap report one). Returns whether it wrote an alert; never throws (the loop goes on).
   */
  public boolean databaseBack(String loop, long since, long until) {
    if (!enabled) {
      return false;
    }
    long start;
    long end;
    synchronized (this) {
      if (outageStart < 0 || since > outageEnd) {
        outageStart = since; // a new outage
      }
      outageEnd = Math.max(outageEnd, until);
      start = outageStart;
      end = outageEnd;
    }
    try {
      return store.tx(
          "raise database outage alerts",
          m -> {
            if (!rules.anyOf(Set.of(AlertKind.DATABASE_UNREACHABLE), m)) {
              return false;
            }
            Duration lasted = Duration.ofMillis(end - start);
            Map<String, String> facts = new LinkedHashMap<>();
            facts.put("instance", instance);
            facts.put("loop", loop);
            facts.put("since", Instant.ofEpochMilli(start).toString());
            facts.put("until", Instant.ofEpochMilli(end).toString());
            facts.put("after", lasted.toString());
            facts.put(
                "message",
                "the database could not be reached from "
                    + Instant.ofEpochMilli(start)
                    + " to "
                    + Instant.ofEpochMilli(end)
                    + " ("
                    + lasted.toMillis()
                    + " ms)");
            Occurrence o = new Occurrence("db:" + instance + ":" + start, null, null, null, facts);
            List<Raising.Candidate> found = new ArrayList<>();
            for (StoredRule rule : rules.of(AlertKind.DATABASE_UNREACHABLE)) {
              Duration after = rule.rule().after() == null ? Duration.ZERO : rule.rule().after();
              if (lasted.compareTo(after) >= 0) {
                found.add(new Raising.Candidate(rule, o));
              }
            }
            return write(m, found, end) > 0;
          });
    } catch (RuntimeException e) {
      LOG.warn("could not raise the database outage alert of {}: {}", instance, e.toString());
      return false;
    }
  }

  private int write(StoreMapper m, List<Raising.Candidate> found, long now) {
    int written = 0;
    for (Raising.Candidate c : found) {
      try {
        if (writer.write(c.rule(), c.occurrence(), now, m).isPresent()) {
          written++;
        }
      } catch (RuntimeException e) {
        if (Outage.isTransient(e)) {
          throw e; // the transaction is lost anyway: the change is retried, with its alerts
        }
        // a rule that cannot be written never holds back the change that raised it
        LOG.warn(
            "alert rule {} of workspace {} could not raise {}: {}",
            c.rule().rule().name(),
            c.rule().workspace(),
            c.occurrence().dedupKey(),
            e.toString());
      }
    }
    return written;
  }

  /** The kinds {@code events} could raise, before any rule is looked at. */
  static Set<AlertKind> kindsOf(Collection<? extends PlatformEvent> events) {
    Set<AlertKind> kinds = EnumSet.noneOf(AlertKind.class);
    for (PlatformEvent e : events) {
      if (e instanceof RunStateChanged r && Raising.runKind(r.state()) != null) {
        kinds.add(Raising.runKind(r.state()));
        kinds.add(AlertKind.BACKFILL_FINISHED);
      } else if (e instanceof TaskStateChanged t && t.state() == TaskState.FAILED) {
        kinds.addAll(TASK_KINDS);
      } else if (e instanceof ScheduleMisfired) {
        kinds.add(AlertKind.SCHEDULE_MISFIRED);
      } else if (e instanceof ScheduleFireSkipped) {
        kinds.add(AlertKind.SCHEDULE_SKIPPED);
      }
    }
    return kinds;
  }
}
