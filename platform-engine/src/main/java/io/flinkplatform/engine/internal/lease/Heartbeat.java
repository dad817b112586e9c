package io.flinkplatform.engine.internal.lease;

import io.flinkplatform.engine.event.PlatformEvent;
import io.flinkplatform.engine.internal.common.Events;
import io.flinkplatform.engine.internal.common.Outage;
import io.flinkplatform.engine.internal.store.Rows.AttemptRow;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.engine.internal.worker.CancelSignal.Cause;
import io.flinkplatform.engine.internal.worker.Executor;
import io.flinkplatform.engine.internal.worker.LocalAttempt;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One beat every heartbeat interval: renews this instance's worker row and the leases of all its
 * attempts in one transaction, cancels attempts whose run is being killed, and re-queues attempts
 * of any instance whose lease lapsed by the database's clock (the reaper). Self-fencing is not done
 * here but by the {@link LeaseWatchdog} on a thread of its own, since a renewal may block far
 * longer than a lease; a confirmed renewal moves each attempt's fencing time on.
 */
public final class Heartbeat implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(Heartbeat.class);
  private static final int REAP_BATCH = 200;
  private final Store store;
  private final Executor executor;
  private final Events events;
  private final Clock clock;
  private final LeaseClock leaseClock;
  private final String owner;
  private final long leaseMillis;
  private final Runnable onRequeued;
  private final Outage outage;

  /**
   * System.nanoTime() right before the statement of the last renewal that committed (monotonic:
   * immune to clock changes, and it keeps counting while the process or the database is frozen).
   */
  private long lastRenewed;

  /** Whether a beat renewed since start (a slow start is no outage). */
  private boolean renewedOnce;

  /** System.nanoTime() before which this instance does not reap (after an outage). */
  private long reapNotBefore;

  private final Supplier<List<Long>> pendingOutcomes;
  private final long ageingMillis;
  private long lastAged;

  public Heartbeat(
      Store store,
      Executor executor,
      Events events,
      Clock clock,
      LeaseClock leaseClock,
      String owner,
      long leaseMillis,
      long ageingMillis,
      Supplier<List<Long>> pendingOutcomes,
      Runnable onRequeued) {
    this.pendingOutcomes = pendingOutcomes;
    this.store = store;
    this.executor = executor;
    this.events = events;
    this.clock = clock;
    this.leaseClock = leaseClock;
    this.outage = new Outage("heartbeat", LOG, events, clock);
    this.owner = owner;
    this.leaseMillis = leaseMillis;
    this.onRequeued = onRequeued;
    this.lastRenewed = System.nanoTime();
    this.reapNotBefore = lastRenewed;
    this.ageingMillis = ageingMillis;
    this.lastAged = clock.millis();
  }

  @Override
  public void run() {
    try {
      beat();
      outage.recovered();
    } catch (Throwable t) {
      if (!outage.failed(t)) {
        events.emit(new PlatformEvent.UnexpectedError(clock.instant(), "heartbeat", t));
        LOG.error("heartbeat failed", t);
      }
    }
  }

  private void beat() {
    long now = clock.millis();
    Map<Long, LocalAttempt> mine = new HashMap<>();
    executor.attempts().forEach(la -> mine.put(la.claim.id(), la));
    // attempts that ended here and wait for their outcome's commit are renewed too
    Set<Long> renew = new LinkedHashSet<>(mine.keySet());
    renew.addAll(pendingOutcomes.get());
    // renewedFrom: local monotonic time before the renewal statement, which sets the leases from
    // the database's clock when it runs, so later than this
    record Beat(long renewedFrom, List<AttemptRow> held, List<Long> killed) {}
    Beat b =
        store.tx(
            "renew leases",
            m -> {
              leaseClock.sync(m); // for ready times and schedules; leases use the database's clock
              m.heartbeatWorker(owner, now, leaseMillis);
              long renewedFrom = System.nanoTime();
              List<Long> ids = List.copyOf(renew);
              for (int i = 0; i < ids.size(); i += 1000) {
                m.renewLeases(owner, ids.subList(i, Math.min(ids.size(), i + 1000)), leaseMillis);
              }
              if (mine.isEmpty()) {
                return new Beat(renewedFrom, List.of(), List.of());
              }
              List<Long> local = List.copyOf(mine.keySet());
              List<AttemptRow> held = new ArrayList<>();
              for (int i = 0; i < local.size(); i += 1000) {
                held.addAll(m.selectHolders(local.subList(i, Math.min(local.size(), i + 1000))));
              }
              return new Beat(renewedFrom, held, m.selectKillRequested(owner));
            });
    long renewed = System.nanoTime();
    long withoutMillis = (renewed - lastRenewed) / 1_000_000;
    if (renewedOnce && withoutMillis >= LeaseWatchdog.fenceAfterMillis(leaseMillis)) {
      // this instance could not renew for long enough to fence itself (the database was away or
      // did not answer, or this process was frozen): other instances may have been cut off too,
      // and their leases lapsed while they are alive. Give them one whole lease from now, when the
      // database answers again, to renew before reaping anything.
      boolean waiting = reapNotBefore - renewed > 0;
      reapNotBefore = renewed + leaseMillis * 1_000_000;
      if (!waiting) {
        LOG.info(
            "leases renewed after {} ms without; re-queueing expired attempts only after one"
                + " lease ({} ms) from now, so that other instances renew theirs first",
            withoutMillis,
            leaseMillis);
      }
    }
    lastRenewed = b.renewedFrom();
    renewedOnce = true;
    long fenceAt = b.renewedFrom() + LeaseWatchdog.fenceAfterNanos(leaseMillis);
    for (AttemptRow row : b.held()) {
      LocalAttempt la = mine.get(row.id);
      if (la.finished.get()) {
        continue; // ended here meanwhile, and perhaps committed: the row no longer says RUNNING
      }
      if (la.claim.isHeldIn(row)) {
        // renewed from the database's clock after renewedFrom
        if (fenceAt - la.fenceAtNanos > 0) {
          la.fenceAtNanos = fenceAt;
        }
      } else {
        LOG.warn(
            "{} lost its claim (epoch {}; the attempt is now {} with epoch {} owned by {}): "
                + "stopping it here",
            la.claim.describe(),
            la.claim.epoch(),
            row.state,
            row.epoch,
            row.owner);
        executor.abandon(la, "the claim was lost: its lease lapsed");
      }
    }
    b.killed()
        .forEach(
            id -> {
              LocalAttempt la = mine.get(id);
              if (la != null) {
                executor.cancel(la, Cause.KILL, "run was killed");
              }
            });
    if (System.nanoTime() - reapNotBefore >= 0) {
      reap(now);
    }
    if (ageingMillis > 0 && now - lastAged >= Math.max(1, ageingMillis / 4)) {
      lastAged = now;
      int aged = store.tx("age ready attempts", m -> m.ageReady(now, ageingMillis));
      if (aged > 0) {
        LOG.debug("{} ready attempt(s) gained a priority step by waiting", aged);
      }
    }
  }

  /** An attempt whose lease lapsed, by how long, both by the database's clock. */
  public static final class Expired {
    public long id;
    long flowRunId;
    String taskId;
    int attempt;
    public String owner;
    long epoch;
    public long lapsedMillis;
  }

  /**
   * Re-queues attempts whose owner's lease lapsed, with their old epoch fenced off. Expiry is read
   * from the database's clock in the statements themselves: an estimate of that clock carried by
   * this instance could be off by as long as a stall in the middle of reading it.
   */
  private void reap(long now) {
    int requeued =
        store.tx(
            "re-queue expired attempts",
            m -> {
              int n = 0;
              for (Expired a : m.selectExpired(REAP_BATCH)) {
                if (m.reapExpired(a.id, a.epoch, now) == 0) {
                  continue;
                }
                n++;
                LOG.info(
                    "re-queued run {} task '{}' attempt {}: the lease of {} lapsed {} ms ago",
                    a.flowRunId,
                    a.taskId,
                    a.attempt,
                    a.owner,
                    a.lapsedMillis);
              }
              return n;
            });
    if (requeued > 0) {
      onRequeued.run();
    }
  }
}
