package io.flinkplatform.engine.internal.worker;

import com.google.common.collect.Lists;
import io.flinkplatform.engine.internal.claim.Claim;
import io.flinkplatform.engine.internal.claim.Fencing;
import io.flinkplatform.engine.internal.claim.LeaseClock;
import io.flinkplatform.engine.internal.common.Events;
import io.flinkplatform.engine.internal.common.Loop;
import io.flinkplatform.engine.internal.metrics.Meters;
import io.flinkplatform.engine.internal.model.RunModel;
import io.flinkplatform.engine.internal.progress.Completer;
import io.flinkplatform.engine.internal.progress.Progress;
import io.flinkplatform.engine.internal.progress.Result;
import io.flinkplatform.engine.internal.store.AttemptRow;
import io.flinkplatform.engine.internal.store.Limits;
import io.flinkplatform.engine.internal.store.RunRow;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.engine.run.TaskState;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims READY attempts in batches ({@code FOR UPDATE SKIP LOCKED}), marks them RUNNING with this
 * instance as owner, a lease and a new fencing epoch, and hands them to the {@link Executor}, which
 * starts them on free worker threads or queues them (claimed ahead) until one is free. Its loop is
 * woken early by local events (a task became ready here, room in the queue or a free thread);
 * otherwise it polls.
 */
public final class Dispatcher implements Loop.Pass {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
  private final Store store;
  private final Executor executor;
  private final Meters meters;
  private final Completer completer;
  private final Events events;
  private final Clock clock;
  private final LeaseClock leaseClock;
  private final String owner;
  private final int batchSize;
  private final long pollMillis;
  private final long leaseMillis;
  private final List<String> types;
  private final List<String> labels;
  private final AtomicLong nextDue = new AtomicLong(Long.MAX_VALUE);
  // loop thread only: claim-time bookkeeping for claims whose commit may have gone through
  private Marked marking; // the claim being marked, null before its UPDATE
  private Marked uncertain; // a failed claim's marking whose commit may have gone through
  private long startedAt = -1;
  private final Set<Long> startedIds = new HashSet<>();
  private final ClaimCursor cursor;

  public Dispatcher(
      Store store,
      Executor executor,
      Completer completer,
      Events events,
      Clock clock,
      LeaseClock leaseClock,
      String owner,
      int batchSize,
      long pollMillis,
      long leaseMillis,
      Collection<String> types,
      Collection<String> labels,
      Meters meters) {
    this.meters = meters;
    this.store = store;
    this.executor = executor;
    this.completer = completer;
    this.events = events;
    this.clock = clock;
    this.leaseClock = leaseClock;
    this.owner = owner;
    this.batchSize = batchSize;
    this.pollMillis = pollMillis;
    this.leaseMillis = leaseMillis;
    this.types = List.copyOf(types);
    this.labels = List.copyOf(labels);
    this.cursor = new ClaimCursor(Math.max(1, pollMillis / 2) * 1_000_000L);
  }

  /**
   * Something became ready here (now, or at {@code dueAt}): the next pass looks by then, from the
   * front of the claim index (it may be behind where the last claim ended).
   */
  public void readyAt(long dueAt) {
    cursor.front();
    if (dueAt > clock.millis()) {
      nextDue.accumulateAndGet(dueAt, Math::min);
    }
  }

  /** Manual mode: every claim scans from the front, so that a test's claim order is the index's. */
  public void alwaysFromTheFront() {
    cursor.disable();
  }

  /**
   * One pass: hands back claims of a failed claim transaction that may have committed and claims
   * ahead that waited too long for a thread here (see {@link Executor#handBackOverdue}), then
   * claims as many ready attempts as there is room for (free worker threads and the queue of claims
   * ahead, at most a batch) and starts or queues them. Returns 0 when the batch was full (more may
   * wait), else the time until the next known ready time, at most the poll interval.
   */
  @Override
  public long runOnce() {
    long start = clock.millis();
    long due = nextDue.get();
    if (due <= start) {
      nextDue.compareAndSet(due, Long.MAX_VALUE); // the claim below covers it
      cursor.front(); // a retry whose backoff ended may sit behind the cursor
    }
    if (uncertain != null) {
      handBackUncertain();
    }
    executor.handBackOverdue();
    int wanted = executor.room(batchSize);
    int claimed = wanted > 0 ? claim(wanted) : 0;
    if (claimed < wanted || wanted == 0) {
      long next = nextDue.get();
      return next == Long.MAX_VALUE
          ? pollMillis
          : Math.min(pollMillis, Math.max(0, next - clock.millis()));
    }
    return 0;
  }

  private int claim(int limit) {
    if (types.isEmpty()) {
      return 0;
    }
    long now = clock.millis();
    marking = null;
    List<Claim> claims;
    long claimStart = System.nanoTime();
    try {
      claims = claimTx(limit, now);
      meters.claimed(claims.size(), System.nanoTime() - claimStart);
    } catch (RuntimeException e) {
      cursor.front(); // a failed claim: the next one scans from the front
      // the attempts may be marked ours although the commit looked failed
      uncertain = marking;
      throw e;
    }
    if (!claims.isEmpty()) {
      long at = claims.get(0).attempt().startedAt;
      if (at != startedAt) {
        startedAt = at;
        startedIds.clear();
      }
      claims.forEach(c -> startedIds.add(c.id()));
    }
    for (Claim c : claims) {
      // announced once started (held and renewed here), and before anything it leads to
      Runnable announce =
          () ->
              events.emit(
                  Progress.taskEvent(
                      now,
                      c.run(),
                      c.attempt().taskId,
                      c.attempt().attempt,
                      TaskState.RUNNING,
                      null));
      TaskState claimed = RunModel.claimedIn(c.run().state);
      if (claimed != TaskState.RUNNING) {
        // the run is being killed: the attempt ends as the model says instead of starting
        announce.run();
        completer.submit(new Result(c, claimed, false, null, RunModel.KILLED_AT_CLAIM, null));
      } else if (!Fencing.mayStart(c)) {
        // the claim took most of a lease, or this instance was frozen since: hand it back (a
        // no-op if another instance took it over meanwhile) rather than start lost work
        completer.handBack(c);
      } else {
        meters.attemptStarted(c.attempt().taskType);
        executor.start(c, announce);
      }
    }
    return claims.size();
  }

  /**
   * A claim transaction failed after marking attempts: if its commit went through all the same,
   * those attempts are RUNNING under this instance's name but run nowhere, and nothing renews their
   * lease. Rather than leave them until their lease lapses, hand them back at once. They are found
   * by owner and claim time (an earlier claim of the same millisecond that did start excepted).
   */
  private void handBackUncertain() {
    long at = uncertain.at();
    long now = clock.millis();
    Set<Long> started = at == startedAt ? Set.copyOf(startedIds) : Set.of();
    int n =
        store.tx(
            "hand back claims that may have committed",
            m -> {
              int back = 0;
              for (List<Long> chunk : Lists.partition(uncertain.ids(), Progress.CHUNK)) {
                for (AttemptRow a : m.selectClaimedAt(owner, at, chunk)) {
                  if (!started.contains(a.id)) {
                    back += m.handBack(a.id, a.epoch, now);
                  }
                }
              }
              return back;
            });
    uncertain = null;
    if (n > 0) {
      LOG.info(
          "handed back {} attempt(s) of a claim whose commit went through although it reported"
              + " a failure",
          n);
    }
  }

  private List<Claim> claimTx(int limit, long now) {
    return store.tx(
        "claim ready attempts",
        m -> {
          Limits limits = Limits.read(m);
          // ready times were written by any instance's clock: work is due once this instance's
          // clock or the database's says so, so a clock running behind does not hide it
          long readyBy = Math.max(now, leaseClock.millis());
          List<AttemptRow> selected =
              m.selectClaimable(
                  readyBy, limit, types, labels, limits.full(m), cursor.next(System.nanoTime()));
          List<AttemptRow> rows = selected;
          Map<Long, RunRow> runs = new HashMap<>();
          if (!rows.isEmpty()) {
            m.selectRuns(rows.stream().map(r -> r.flowRunId).distinct().toList())
                .forEach(r -> runs.put(r.id, r));
            if (!limits.isEmpty()) {
              rows = limits.admit(m, rows, runs); // in claim order, as selected
            }
          }
          cursor.claimed(limit, selected, rows.size());
          if (rows.isEmpty()) {
            return List.<Claim>of();
          }
          // after any wait for a limit's lock, so started_at is never before a slot was free, and
          // never before a ready time (work made ready while this claim began, or by a clock ahead)
          long at = limits.isEmpty() ? now : clock.millis();
          for (AttemptRow r : rows) {
            at = Math.max(at, r.readyAt);
          }
          marking = new Marked(at, rows.stream().map(r -> r.id).toList());
          // the statement sets the lease from the database's clock, later than this: fencing
          // counts from here
          long fenceAt = System.nanoTime() + Fencing.fenceAfterNanos(leaseMillis);
          m.markClaimed(marking.ids(), owner, leaseMillis, at);
          List<Claim> out = new ArrayList<>(rows.size());
          for (AttemptRow r : rows) {
            // as markClaimed left it
            r.state = TaskState.RUNNING;
            r.owner = owner;
            r.epoch++;
            r.leaseUntil = null; // the database's clock plus the lease: fenceAt stands for it here
            r.startedAt = at;
            out.add(new Claim(r, runs.get(r.flowRunId), fenceAt));
          }
          return out;
        });
  }

  /** The attempts a claim marked ours, with the claim time it gave them. */
  private record Marked(long at, List<Long> ids) {}
}
