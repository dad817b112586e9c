package io.flinkplatform.engine.internal.housekeeping;

import io.flinkplatform.engine.internal.common.Loop;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.engine.internal.worker.LocalLogStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention: deletes finished runs (with their attempts) that ended longer ago than the retention
 * age, and the task logs of runs that no longer exist.
 *
 * <p>Rows: one instance at a time, through the lease in {@code t_housekeeping}; each batch of at
 * most {@link #BATCH_RUNS} runs is one transaction that first takes (or keeps) the lease, so it
 * holds the lease row's lock while it deletes and batches of two instances never overlap. Deleting
 * twice would be harmless anyway: a batch locks the runs it deletes and re-checks that they are
 * finished.
 *
 * <p>Logs live on each instance's disk: every instance removes the directories of runs whose rows
 * are gone, in its own log directory, and only there when the directory is marked as this
 * installation's ({@link LocalLogStore#owned()}) and only directories that look like its own (see
 * {@link LocalLogStore#runDirectories()}): a directory shared with another database, or one holding
 * other numbered folders, keeps what is not provably this installation's.
 *
 * <p>Logs shipped to a shared store ({@link LocalLogStore#shared()}) are deleted with their runs,
 * by the instance that deleted the rows, right after each batch; the instance holding the lease
 * also sweeps the shared store for the logs of runs that are gone (a batch whose deletion of the
 * logs failed, or that ended with its instance).
 */
public final class Housekeeper implements Loop.Pass {
  private static final Logger LOG = LoggerFactory.getLogger(Housekeeper.class);
  static final String RETENTION = "retention";

  /** Runs deleted per transaction. */
  static final int BATCH_RUNS = 200;

  /** Batches per round at most, so that one round ends; the next round goes on. */
  static final int MAX_BATCHES = 50;

  private final Store store;
  private final LocalLogStore logs;
  private final Clock clock;
  private final String owner;
  private final Duration retention;
  private final long leaseMillis;
  private final String instanceName;

  /** Whether the last round held the lease (the shared store's sweep is the holder's). */
  private boolean leaseHeld;

  public Housekeeper(
      Store store,
      LocalLogStore logs,
      Clock clock,
      String owner,
      String instanceName,
      Duration retention,
      Duration interval) {
    this.store = store;
    this.logs = logs;
    this.clock = clock;
    this.owner = owner;
    this.instanceName = instanceName;
    this.retention = retention;
    this.leaseMillis = Math.max(3 * interval.toMillis(), 60_000);
  }

  /**
   * One retention round: deletes expired runs (while this instance holds the lease), then the logs
   * of runs that no longer exist. A failure ends the round; the next round tries again.
   */
  @Override
  public long runOnce() throws IOException {
    int runs = deleteExpiredRuns();
    int alerts = leaseHeld ? deleteExpiredAlerts() : 0;
    int dirs = deleteOrphanLogs();
    if (leaseHeld) {
      dirs += deleteOrphanSharedLogs();
    }
    if (runs > 0 || dirs > 0 || alerts > 0) {
      LOG.info(
          "[{}] retention: deleted {} run(s) that ended over {} ago, the logs of {} run(s), and {}"
              + " alert(s) raised before then",
          instanceName,
          runs,
          retention,
          dirs,
          alerts);
    }
    return Loop.IDLE;
  }

  /** Deletes expired runs while this instance holds the lease; returns how many it deleted. */
  int deleteExpiredRuns() {
    store.run("prepare housekeeping", m -> m.insertHousekeeping(RETENTION));
    long cutoff = clock.millis() - retention.toMillis();
    int total = 0;
    leaseHeld = false;
    for (int b = 0; b < MAX_BATCHES; b++) {
      List<Long> deleted = new ArrayList<>();
      int n =
          store.tx(
              "delete runs that ended before " + cutoff,
              m -> {
                if (m.takeHousekeeping(RETENTION, owner, leaseMillis, clock.millis()) == 0) {
                  return -1; // another instance holds the lease
                }
                deleted.clear(); // a transaction tried again starts over
                List<Long> ids = m.lockExpiredRuns(cutoff, BATCH_RUNS);
                if (!ids.isEmpty()) {
                  m.deleteAttemptsOfRuns(ids);
                  m.deleteFinishedRuns(ids);
                }
                deleted.addAll(ids);
                return ids.size();
              });
      if (n < 0) {
        return total;
      }
      leaseHeld = true;
      total += n;
      deleteSharedLogs(deleted);
      if (n < BATCH_RUNS) {
        break;
      }
    }
    return total;
  }

  /**
   * Deletes alerts raised longer ago than the retention whose deliveries are all over (none PENDING
   * or HELD), with their deliveries and tries, and rate-limit windows that ended before then; in
   * batches, under the lease the caller just held. Returns how many alerts it deleted.
   */
  int deleteExpiredAlerts() {
    long cutoff = clock.millis() - retention.toMillis();
    int total = 0;
    for (int b = 0; b < MAX_BATCHES; b++) {
      int n =
          store.tx(
              "delete alerts raised before " + cutoff,
              m -> {
                if (m.takeHousekeeping(RETENTION, owner, leaseMillis, clock.millis()) == 0) {
                  return -1;
                }
                List<Long> ids = m.lockExpiredAlerts(cutoff, BATCH_RUNS);
                if (!ids.isEmpty()) {
                  m.deleteAlertsWithDeliveries(ids);
                }
                if (ids.size() < BATCH_RUNS) {
                  m.deleteEndedAlertWindows(cutoff);
                }
                return ids.size();
              });
      if (n < 0) {
        return total;
      }
      total += n;
      if (n < BATCH_RUNS) {
        break;
      }
    }
    return total;
  }

  /** Deletes the shipped logs of runs just deleted; a failure is left to the sweep. */
  private void deleteSharedLogs(List<Long> runIds) {
    if (runIds.isEmpty() || logs.shared().isEmpty()) {
      return;
    }
    try {
      logs.shared().get().deleteRuns(runIds);
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "[{}] retention: cannot delete the shipped logs of {} run(s) from {} (the next rounds"
              + " sweep them): {}",
          instanceName,
          runIds.size(),
          logs.shared().get().describe(),
          e.toString());
    }
  }

  /** Deletes the shipped logs of runs that no longer exist; returns of how many runs. */
  int deleteOrphanSharedLogs() throws IOException {
    if (logs.shared().isEmpty()) {
      return 0;
    }
    List<Long> runs = new ArrayList<>(logs.shared().get().runs());
    int deleted = 0;
    for (int i = 0; i < runs.size(); i += 500) {
      List<Long> batch = runs.subList(i, Math.min(runs.size(), i + 500));
      List<Long> existing = store.tx("look up runs with logs", m -> m.selectExistingRuns(batch));
      List<Long> gone = new ArrayList<>(batch);
      gone.removeAll(existing);
      logs.shared().get().deleteRuns(gone);
      deleted += gone.size();
    }
    return deleted;
  }

  /**
   * Deletes the log directories of runs that no longer exist; returns how many. Nothing in a
   * directory not marked as this installation's.
   */
  int deleteOrphanLogs() throws IOException {
    if (!logs.owned()) {
      return 0;
    }
    List<Long> dirs = logs.runDirectories();
    int deleted = 0;
    for (int i = 0; i < dirs.size(); i += 500) {
      List<Long> batch = dirs.subList(i, Math.min(dirs.size(), i + 500));
      List<Long> existing = store.tx("look up runs with logs", m -> m.selectExistingRuns(batch));
      List<Long> gone = new ArrayList<>(batch);
      gone.removeAll(existing);
      deleted += logs.deleteRuns(gone);
    }
    return deleted;
  }
}
