package io.flinkplatform.engine.internal;

import io.flinkplatform.engine.event.PlatformEvent;
import io.flinkplatform.engine.internal.CancelSignal.Cause;
import io.flinkplatform.engine.internal.Rows.AttemptRow;
import io.flinkplatform.engine.run.TaskState;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
  private final String owner;
  private final long leaseMillis;
  private final Runnable onRequeued;
  private final Outage outage;
  private long lastRenewed;
  private final long ageingMillis;
  private long lastAged;

  Heartbeat(
      Store store,
      Executor executor,
      Events events,
      Clock clock,
      String owner,
      long leaseMillis,
      long ageingMillis,
      Runnable onRequeued) {
    this.store = store;
    this.executor = executor;
    this.events = events;
    this.clock = clock;
    this.outage = new Outage("heartbeat", LOG, events, clock);
    this.owner = owner;
    this.leaseMillis = leaseMillis;
    this.onRequeued = onRequeued;
    this.lastRenewed = clock.millis();
    this.ageingMillis = ageingMillis;
    this.lastAged = lastRenewed;
  }

  @Override
  public void run() {
    try {
      beat();
      outage.recovered();
    } catch (Throwable t) {
      events.emit(new PlatformEvent.UnexpectedError(clock.instant(), "heartbeat", t));
      if (!outage.failed(t)) {
        LOG.error("heartbeat failed", t);
      }
      selfFence();
    }
  }

  private void beat() {
    long now = clock.millis();
    Map<Long, LocalAttempt> mine = new HashMap<>();
    executor.attempts().forEach(la -> mine.put(la.claim.id(), la));
    record Beat(List<AttemptRow> held, List<Long> killed) {}
    Beat b =
        store.tx(
            "renew leases",
            m -> {
              m.heartbeatWorker(owner, now, now + leaseMillis);
              if (mine.isEmpty()) {
                return new Beat(List.of(), List.of());
              }
              List<Long> ids = List.copyOf(mine.keySet());
              List<AttemptRow> held = new ArrayList<>();
              for (int i = 0; i < ids.size(); i += 1000) {
                List<Long> chunk = ids.subList(i, Math.min(ids.size(), i + 1000));
                m.renewLeases(owner, chunk, now + leaseMillis);
                held.addAll(m.selectHolders(chunk));
              }
              return new Beat(held, m.selectKillRequested(owner));
            });
    lastRenewed = now;
    for (AttemptRow row : b.held()) {
      LocalAttempt la = mine.get(row.id);
      if (!owner.equals(row.owner)
          || row.epoch != la.claim.epoch()
          || !TaskState.RUNNING.name().equals(row.state)) {
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
    reap(now);
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
    int requeued =
        store.tx(
            "re-queue expired attempts",
            m -> {
              List<AttemptRow> expired = m.selectExpired(now, REAP_BATCH);
              int n = 0;
              for (AttemptRow a : expired) {
                n += m.handBack(a.id, a.epoch, now);
                LOG.info(
                    "re-queued run {} task '{}' attempt {}: the lease of {} lapsed {} ms ago",
                    a.flowRunId,
                    a.taskId,
                    a.attempt,
                    a.owner,
                    now - a.leaseUntil);
              }
              return n;
            });
    if (requeued > 0) {
      onRequeued.run();
    }
  }

  private void selfFence() {
    long now = clock.millis();
    if (now - lastRenewed < leaseMillis - Math.min(1000, leaseMillis / 4)) {
      return;
    }
    for (LocalAttempt la : executor.attempts()) {
      if (!la.lost) {
        LOG.warn(
            "{} stopped here: this instance could not renew its leases for {} ms (lease {} ms), so"
                + " another instance may own it by now",
            la.claim.describe(),
            now - lastRenewed,
            leaseMillis);
      }
      executor.abandon(la, "this instance could not renew its lease");
    }
  }
}
