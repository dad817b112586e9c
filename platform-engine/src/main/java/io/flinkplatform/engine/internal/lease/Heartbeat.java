package io.flinkplatform.engine.internal.lease;

import com.google.common.collect.Lists;
import io.flinkplatform.engine.internal.claim.Fencing;
import io.flinkplatform.engine.internal.claim.LeaseClock;
import io.flinkplatform.engine.internal.common.Loop;
import io.flinkplatform.engine.internal.metrics.Meters;
import io.flinkplatform.engine.internal.progress.Progress;
import io.flinkplatform.engine.internal.store.AttemptRow;
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
 * attempts in one transaction (those whose outcome waits for its commit too), stops attempts whose
 * claim another instance took, and cancels attempts whose run is being killed. Self-fencing is not
 * done here but by the {@link LeaseWatchdog} on a thread of its own, since a renewal may block far
 * longer than a lease; a confirmed renewal moves each attempt's fencing time on. Re-queueing the
 * attempts of lapsed instances is the {@link Reaper}'s, which a beat holds off after this instance
 * went without renewing for too long.
 */
public final class Heartbeat implements Loop.Pass {
  private static final Logger LOG = LoggerFactory.getLogger(Heartbeat.class);
  private final Meters meters;
  private final Store store;
  private final Executor executor;
  private final LeaseClock leaseClock;
  private final Reaper reaper;
  private final Clock clock;
  private final String owner;
  private final long leaseMillis;
  private final Supplier<List<Long>> pendingOutcomes;

  /**
   * System.nanoTime() right before the statement of the last renewal that committed (monotonic:
   * immune to clock changes, and it keeps counting while the process or the database is frozen).
   */
  private long lastRenewed;

  /** {@link #lastRenewed} for other threads (health). */
  private volatile long renewedNanos = System.nanoTime();

  /** Whether a beat renewed since start (a slow start is no outage). */
  private boolean renewedOnce;

  /** What one renewal read: when it was sent, the local attempts' rows, the runs being killed. */
  private record Beat(long renewedFrom, List<AttemptRow> held, List<Long> killed) {}

  /** {@code pendingOutcomes}: attempts that ended here and wait for their outcome's commit. */
  public Heartbeat(
      Store store,
      Executor executor,
      Clock clock,
      LeaseClock leaseClock,
      Reaper reaper,
      String owner,
      long leaseMillis,
      Supplier<List<Long>> pendingOutcomes,
      Meters meters) {
    this.meters = meters;
    this.store = store;
    this.executor = executor;
    this.clock = clock;
    this.leaseClock = leaseClock;
    this.reaper = reaper;
    this.owner = owner;
    this.leaseMillis = leaseMillis;
    this.pendingOutcomes = pendingOutcomes;
    this.lastRenewed = System.nanoTime();
  }

  /**
   * {@link System#nanoTime()} right before the statement of the last renewal that committed (at
   * construction before the first): the health check's lease age.
   */
  public long renewedNanos() {
    return renewedNanos;
  }

  /** One beat (see the class); returns {@link Loop#IDLE}: the interval is the loop's. */
  @Override
  public long runOnce() {
    Map<Long, LocalAttempt> mine = new HashMap<>();
    executor.attempts().forEach(la -> mine.put(la.claim.id(), la));
    Beat b = renew(mine);
    long renewed = System.nanoTime();
    long withoutMillis = (renewed - lastRenewed) / 1_000_000;
    if (renewedOnce && withoutMillis >= Fencing.fenceAfterMillis(leaseMillis)) {
      // this instance could not renew for long enough to fence itself (the database was away or
      // did not answer, or this process was frozen): other instances may have been cut off too,
      // and their leases lapsed while they are alive. Give them one whole lease from now, when the
      // database answers again, to renew before reaping anything.
      if (!reaper.holdOff(renewed + leaseMillis * 1_000_000)) {
        LOG.info(
            "leases renewed after {} ms without; re-queueing expired attempts only after one"
                + " lease ({} ms) from now, so that other instances renew theirs first",
            withoutMillis,
            leaseMillis);
      }
    }
    lastRenewed = b.renewedFrom();
    renewedOnce = true;
    renewedNanos = lastRenewed;
    meters.leaseRenewed();
    confirm(mine, b);
    return Loop.IDLE;
  }

  /**
   * The renewal transaction: the worker row, every lease held here, and what the local attempts'
   * rows say now. {@code renewedFrom} is the local monotonic time before the renewal statement,
   * which sets the leases from the database's clock when it runs, so later than this.
   */
  private Beat renew(Map<Long, LocalAttempt> mine) {
    long now = clock.millis();
    Set<Long> renew = new LinkedHashSet<>(mine.keySet());
    renew.addAll(pendingOutcomes.get());
    return store.tx(
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
          List<Long> killed = new ArrayList<>();
          for (List<Long> chunk : Lists.partition(local, Progress.CHUNK)) {
            held.addAll(m.selectHolders(chunk));
            killed.addAll(m.selectKillRequested(owner, chunk));
          }
          return new Beat(renewedFrom, held, killed);
        });
  }

  /**
   * Moves fencing times on for confirmed claims, stops lost ones, cancels killed runs' attempts.
   */
  private void confirm(Map<Long, LocalAttempt> mine, Beat b) {
    long fenceAt = b.renewedFrom() + Fencing.fenceAfterNanos(leaseMillis);
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
  }
}
