package io.flinkplatform.engine.cluster;

import io.flinkplatform.engine.internal.claim.Claim;
import io.flinkplatform.engine.testing.IntervalRecorder.Execution;
import io.flinkplatform.engine.testing.Sql;
import io.flinkplatform.engine.testing.TestTasks;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * Every change of an attempt's claim as the database committed it: a trigger on {@code t_job_run}
 * writes one row per update that changes an attempt's state, epoch or lease, in the transaction of
 * that update, with the database's clock at the start of the statement ({@code at_ms}, the clock
 * the lease itself is written with). Checks then hold the recorded executions ({@link Execution},
 * written by the tasks themselves) against that history: who held which lease when.
 */
final class LeaseLog {
  private LeaseLog() {}

  private static final String DB_MILLIS =
      "TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', UTC_TIMESTAMP(6)) DIV 1000";

  /** One committed change of an attempt row. */
  record Change(
      long id,
      long attemptId,
      String oldState,
      long oldEpoch,
      Long oldLease,
      String newState,
      long newEpoch,
      String newOwner,
      Long newLease,
      long atMs) {

    boolean fromRunning() {
      return "RUNNING".equals(oldState);
    }

    boolean toRunning() {
      return "RUNNING".equals(newState);
    }

    /** A re-queue by the reaper: it keeps the lapsed lease on the READY row (a hand-back not). */
    boolean isReap() {
      return fromRunning() && "READY".equals(newState) && newLease != null;
    }
  }

  /** One claim (attempt and epoch): when it was made, its leases over time, how it ended. */
  static final class Claim {
    final long attemptId;
    final long epoch;
    final String owner;

    /** Lease end by the time (at_ms) it was written, from the claim on. */
    final TreeMap<Long, Long> leases = new TreeMap<>();

    /** The change that ended this claim (outcome, hand-back, re-queue), or null. */
    Change left;

    Claim(Change c) {
      this.attemptId = c.attemptId();
      this.epoch = c.newEpoch();
      this.owner = c.newOwner();
      leases.put(c.atMs(), c.newLease());
    }

    /** The latest lease end written by time {@code t} (the database's clock), or null. */
    Long leaseAt(long t) {
      Long best = null;
      for (Map.Entry<Long, Long> e : leases.headMap(t, true).entrySet()) {
        best = best == null ? e.getValue() : Math.max(best, e.getValue());
      }
      return best;
    }
  }

  /** Creates the log table and the trigger in the test's schema (after the migrations ran). */
  static void install(DataSource ds) throws SQLException {
    Sql.update(
        ds,
        "CREATE TABLE t_lease_log (id BIGINT AUTO_INCREMENT PRIMARY KEY,"
            + " attempt_id BIGINT NOT NULL, old_state VARCHAR(16), old_epoch BIGINT,"
            + " old_lease BIGINT, new_state VARCHAR(16), new_epoch BIGINT, new_owner VARCHAR(191),"
            + " new_lease BIGINT, at_ms BIGINT NOT NULL)");
    Sql.update(
        ds,
        "CREATE TRIGGER t_job_run_lease_log AFTER UPDATE ON t_job_run FOR EACH ROW"
            + " BEGIN"
            + "  IF NOT (OLD.state <=> NEW.state AND OLD.epoch <=> NEW.epoch"
            + "          AND OLD.lease_until <=> NEW.lease_until) THEN"
            + "   INSERT INTO t_lease_log (attempt_id, old_state, old_epoch, old_lease, new_state,"
            + "     new_epoch, new_owner, new_lease, at_ms)"
            + "   VALUES (NEW.id, OLD.state, OLD.epoch, OLD.lease_until, NEW.state, NEW.epoch,"
            + "     NEW.owner, NEW.lease_until, "
            + DB_MILLIS
            + ");"
            + "  END IF;"
            + " END");
  }

  static List<Change> read(DataSource ds) throws SQLException {
    List<Change> out = new ArrayList<>();
    Sql.query(
        ds,
        "SELECT id, attempt_id, old_state, old_epoch, old_lease, new_state, new_epoch, new_owner,"
            + " new_lease, at_ms FROM t_lease_log ORDER BY id",
        rs ->
            out.add(
                new Change(
                    rs.getLong(1),
                    rs.getLong(2),
                    rs.getString(3),
                    rs.getLong(4),
                    rs.getObject(5, Long.class),
                    rs.getString(6),
                    rs.getLong(7),
                    rs.getString(8),
                    rs.getObject(9, Long.class),
                    rs.getLong(10))));
    return out;
  }

  /**
   * The claims, by "attempt@epoch". The changes of one row are in the order they were made (its row
   * lock orders them, and ids are given in that order).
   */
  static Map<String, Claim> claims(List<Change> log) {
    Map<String, Claim> claims = new HashMap<>();
    Map<Long, Claim> open = new HashMap<>();
    for (Change c : log) {
      Claim current = open.get(c.attemptId());
      boolean newClaim = c.toRunning() && (!c.fromRunning() || c.oldEpoch() != c.newEpoch());
      if (current != null && (newClaim || !c.toRunning())) {
        current.left = c;
        open.remove(c.attemptId());
      } else if (current != null && c.newLease() != null) {
        current.leases.put(c.atMs(), c.newLease());
      }
      if (newClaim) {
        Claim claim = new Claim(c);
        claims.put(c.attemptId() + "@" + c.newEpoch(), claim);
        open.put(c.attemptId(), claim);
      }
    }
    return claims;
  }

  /**
   * What breaks the promise of a lease:
   *
   * <ul>
   *   <li>an execution of a claim that started after the claim's lease ended, or after the claim
   *       was lost (handed back, re-queued or taken over);
   *   <li>an execution that had not ended when its claim ended (work running on after another
   *       instance could take it), or never ended at all (no instance is killed here);
   *   <li>a re-queue by the reaper of a lease that still held by the database's clock.
   * </ul>
   */
  static List<String> problems(List<Change> log, List<Execution> executions) {
    List<String> problems = new ArrayList<>();
    Map<String, Claim> claims = claims(log);
    for (Execution x : executions) {
      Claim claim = claims.get(x.attemptId() + "@" + x.epoch());
      if (claim == null) {
        problems.add("executed without a recorded claim: " + x);
        continue;
      }
      Long lease = claim.leaseAt(x.startedMs());
      if (lease == null || x.startedMs() >= lease) {
        problems.add("started when its lease (" + lease + ") had ended: " + x);
      }
      if (x.endedMs().isEmpty()) {
        problems.add("never ended: " + x);
      } else if (claim.left != null && x.endedMs().get() > claim.left.atMs()) {
        problems.add(
            "ran on "
                + (x.endedMs().get() - claim.left.atMs())
                + " ms after its claim ended ("
                + claim.left
                + "): "
                + x);
      }
      if (claim.left != null && x.startedMs() >= claim.left.atMs()) {
        problems.add("started after its claim ended (" + claim.left + "): " + x);
      }
    }
    for (Change c : log) {
      if (c.isReap() && (c.oldLease() == null || c.oldLease() >= c.atMs())) {
        problems.add("re-queued while its lease held: " + c);
      }
    }
    return problems;
  }

  /**
   * Executions that were running when the database went away (by the time {@code goneAtMs}, taken
   * after it stopped answering) and did not stop before the lease their claim held then ended:
   * self-fencing must stop local work before any other instance can take it over.
   */
  static List<String> ranPastTheirLease(
      List<Change> log, List<Execution> executions, long goneAtMs, List<Execution> running) {
    List<String> problems = new ArrayList<>();
    Map<String, Claim> claims = claims(log);
    for (Execution x : executions) {
      if (x.startedMs() >= goneAtMs || x.endedMs().map(e -> e <= goneAtMs).orElse(false)) {
        continue;
      }
      if (x.outcome().filter(TestTasks.Interval.NOT_STARTED::equals).isPresent()) {
        // its own start row was written only after the database came back, by which time the
        // attempt had been stopped: none of its work ran
        continue;
      }
      running.add(x);
      Claim claim = claims.get(x.attemptId() + "@" + x.epoch());
      Long lease = claim == null ? null : claim.leaseAt(goneAtMs);
      long end = x.endedMs().orElse(Long.MAX_VALUE);
      if (lease == null || end > lease) {
        problems.add(
            "ran until "
                + end
                + ", past the lease it held when the database went away ("
                + lease
                + "): "
                + x);
      }
    }
    return problems;
  }
}
