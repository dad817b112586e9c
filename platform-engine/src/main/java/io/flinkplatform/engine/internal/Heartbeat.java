package io.flinkplatform.engine.internal;

import io.flinkplatform.engine.event.PlatformEvent;
import io.flinkplatform.engine.internal.CancelSignal.Cause;
import io.flinkplatform.engine.internal.Rows.AttemptRow;
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
 * of any instance whose lease lapsed (the reaper). An instance that could not renew for a whole
 * lease stops its local attempts (self-fencing): by then another instance may own them.
 */
final class Heartbeat implements Runnable {
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

  /** System.nanoTime() when the leases were last renewed (monotonic: immune to clock changes). */
  private long lastRenewed;

  /** System.nanoTime() before which this instance does not reap (after an outage). */
  private long reapNotBefore;

  private boolean failedSinceRenewal;
  private final Supplier<List<Long>> pendingOutcomes;
  private final long ageingMillis;
  private long lastAged;

  Heartbeat(
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
      failedSinceRenewal = true;
      if (!outage.failed(t)) {
        events.emit(new PlatformEvent.UnexpectedError(clock.instant(), "heartbeat", t));
        LOG.error("heartbeat failed", t);
      }
      selfFence();
    }
  }

  private void beat() {
    long now = clock.millis();
    long renewStarted = System.nanoTime();
    Map<Long, LocalAttempt> mine = new HashMap<>();
    executor.attempts().forEach(la -> mine.put(la.claim.id(), la));
    // attempts that ended here and wait for their outcome's commit are renewed too
    Set<Long> renew = new LinkedHashSet<>(mine.keySet());
    renew.addAll(pendingOutcomes.get());
    record Beat(List<AttemptRow> held, List<Long> killed) {}
    Beat b =
        store.tx(
            "renew leases",
            m -> {
              leaseClock.sync(m);
              long leaseUntil = leaseClock.millis() + leaseMillis;
              m.heartbeatWorker(owner, now, leaseUntil);
              List<Long> ids = List.copyOf(renew);
              for (int i = 0; i < ids.size(); i += 1000) {
                m.renewLeases(owner, ids.subList(i, Math.min(ids.size(), i + 1000)), leaseUntil);
              }
              if (mine.isEmpty()) {
                return new Beat(List.of(), List.of());
              }
              List<Long> local = List.copyOf(mine.keySet());
              List<AttemptRow> held = new ArrayList<>();
              for (int i = 0; i < local.size(); i += 1000) {
                held.addAll(m.selectHolders(local.subList(i, Math.min(local.size(), i + 1000))));
              }
              return new Beat(held, m.selectKillRequested(owner));
            });
    long withoutMillis = (renewStarted - lastRenewed) / 1_000_000;
    if (failedSinceRenewal && withoutMillis > leaseMillis) {
      // nobody could renew for a whole lease (the database was away): every lease lapsed, also
      // those of live instances. Give them one lease to renew before reaping their work.
      reapNotBefore = renewStarted + leaseMillis * 1_000_000;
      LOG.info(
          "leases renewed after {} ms without; re-queueing expired attempts in {} ms",
          withoutMillis,
          leaseMillis);
    }
    lastRenewed = renewStarted;
    failedSinceRenewal = false;
    for (AttemptRow row : b.held()) {
      LocalAttempt la = mine.get(row.id);
      if (la.finished.get()) {
        continue; // ended here meanwhile, and perhaps committed: the row no longer says RUNNING
      }
      if (!la.claim.isHeldIn(row)) {
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

  /** Re-queues attempts whose owner's lease lapsed, with their old epoch fenced off. */
  private void reap(long now) {
    long leaseNow = leaseClock.millis();
    int requeued =
        store.tx(
            "re-queue expired attempts",
            m -> {
              List<AttemptRow> expired = m.selectExpired(leaseNow, REAP_BATCH);
              int n = 0;
              for (AttemptRow a : expired) {
                n += m.handBack(a.id, a.epoch, now);
                LOG.info(
                    "re-queued run {} task '{}' attempt {}: the lease of {} lapsed {} ms ago",
                    a.flowRunId,
                    a.taskId,
                    a.attempt,
                    a.owner,
                    leaseNow - a.leaseUntil);
              }
              return n;
            });
    if (requeued > 0) {
      onRequeued.run();
    }
  }

  private void selfFence() {
    long sinceRenewed = (System.nanoTime() - lastRenewed) / 1_000_000;
    if (sinceRenewed < leaseMillis - Math.min(1000, leaseMillis / 4)) {
      return;
    }
    for (LocalAttempt la : executor.attempts()) {
      if (!la.lost) {
        LOG.warn(
            "{} stopped here: this instance could not renew its leases for {} ms (lease {} ms), so"
                + " another instance may own it by now",
            la.claim.describe(),
            sinceRenewed,
            leaseMillis);
      }
      executor.abandon(la, "this instance could not renew its lease");
    }
  }
}
