package io.flinkplatform.examples.bench.peers;

import com.github.kagkarlsson.scheduler.CurrentlyExecuting;
import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerBuilder;
import com.github.kagkarlsson.scheduler.event.AbstractSchedulerListener;
import com.github.kagkarlsson.scheduler.jdbc.AutodetectJdbcCustomization;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.flinkplatform.examples.bench.DbCounters;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * W1 with db-scheduler 16.12.0: {@code n} one-time no-op task instances due now, created with
 * {@code scheduleBatch} ({@value #CREATE_BATCH} per call) before the scheduler starts, then drained
 * by one scheduler of {@value #THREADS} threads (polling 100 ms) with the {@code fetch} (default)
 * or the {@code lock-and-fetch} strategy. Its table is db-scheduler's {@code mysql_tables.sql}.
 */
final class DbSchedulerDrain {
  static final int THREADS = 16;
  static final int CREATE_BATCH = 1_000;

  private static final String TABLE =
      "CREATE TABLE scheduled_tasks ("
          + " task_name VARCHAR(100) NOT NULL, task_instance VARCHAR(100) NOT NULL,"
          + " task_data BLOB, execution_time TIMESTAMP(6) NOT NULL, picked BOOLEAN NOT NULL,"
          + " picked_by VARCHAR(50), last_success TIMESTAMP(6) NULL,"
          + " last_failure TIMESTAMP(6) NULL, consecutive_failures INT,"
          + " last_heartbeat TIMESTAMP(6) NULL, version BIGINT NOT NULL, priority SMALLINT,"
          + " PRIMARY KEY (task_name, task_instance),"
          + " INDEX execution_time_idx (execution_time),"
          + " INDEX last_heartbeat_idx (last_heartbeat),"
          + " INDEX priority_execution_time_idx (priority DESC, execution_time ASC)"
          + ") ENGINE = InnoDB";

  /** First start and last completion, from db-scheduler's listener (after the row is gone). */
  private static final class Timing extends AbstractSchedulerListener {
    final AtomicLong firstStart = new AtomicLong(Long.MAX_VALUE);
    final AtomicLong lastDone = new AtomicLong();
    final AtomicLong completed = new AtomicLong();
    final CountDownLatch done = new CountDownLatch(1);
    final long n;

    Timing(long n) {
      this.n = n;
    }

    @Override
    public void onExecutionStart(CurrentlyExecuting execution) {
      firstStart.accumulateAndGet(System.nanoTime(), Math::min);
    }

    @Override
    public void onExecutionComplete(ExecutionComplete complete) {
      lastDone.accumulateAndGet(System.nanoTime(), Math::max);
      if (completed.incrementAndGet() == n) {
        done.countDown();
      }
    }
  }

  private final PeerDatabase db;
  private final PrintStream log;
  private int measurements;

  DbSchedulerDrain(PeerDatabase db, PrintStream log) {
    this.db = db;
    this.log = log;
  }

  /** The jdbc customization db-scheduler picks for this driver and server. */
  String dialect() throws Exception {
    String schema = "dbs_probe";
    try (HikariDataSource ds = pool(db.freshSchema(schema))) {
      return new AutodetectJdbcCustomization(ds, true).getName();
    } finally {
      db.dropSchema(schema);
    }
  }

  Sample drain(String row, int n, boolean lockAndFetch, Duration timeout) throws Exception {
    String schema = "dbs" + ++measurements;
    String url = db.freshSchema(schema);
    ExecutionCounter executions = new ExecutionCounter();
    OneTimeTask<Void> task =
        Tasks.oneTime("noop").execute((instance, context) -> executions.executed(instance.getId()));
    Timing timing = new Timing(n);
    try (HikariDataSource ds = pool(url)) {
      try (Connection c = ds.getConnection();
          Statement s = c.createStatement()) {
        s.execute(TABLE);
      }
      SchedulerBuilder b =
          Scheduler.create(ds, task)
              .threads(THREADS)
              .pollingInterval(Duration.ofMillis(100))
              .alwaysPersistTimestampInUTC()
              .shutdownMaxWait(Duration.ofSeconds(10))
              .addSchedulerListener(timing);
      if (lockAndFetch) {
        b.pollUsingLockAndFetch(0.5, 1.0);
      } else {
        b.pollUsingFetch(0.5, 3.0); // the default, spelled out
      }
      Scheduler scheduler = b.build();
      try {
        long start = System.nanoTime();
        Instant due = Instant.now();
        List<TaskInstance<?>> batch = new ArrayList<>(CREATE_BATCH);
        for (int i = 0; i < n; i++) {
          batch.add(task.instance(Integer.toString(i)));
          if (batch.size() == CREATE_BATCH || i == n - 1) {
            scheduler.scheduleBatch(batch, due);
            batch.clear();
          }
        }
        log.printf("  created %,d executions in %.2f s%n", n, (System.nanoTime() - start) / 1e9);
        DbCounters before = db.counters();
        scheduler.start();
        if (!timing.done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          throw new IllegalStateException(
              row + ": " + timing.completed.get() + " of " + n + " done within " + timeout);
        }
        DbCounters counters = db.counters().since(before);
        long left = rowsLeft(ds);
        long distinct = executions.executions() - executions.duplicates();
        Sample s =
            new Sample(
                row,
                n,
                (timing.lastDone.get() - timing.firstStart.get()) / 1e9,
                counters,
                executions.duplicates(),
                Math.max(n - distinct, left),
                IdleClaims.NONE);
        log.printf("  %s: %,d in %.2f s = %,.0f/s%n", row, n, s.seconds(), s.perSecond());
        return s;
      } finally {
        scheduler.stop();
      }
    } finally {
      db.dropSchema(schema);
    }
  }

  private static long rowsLeft(HikariDataSource ds) throws Exception {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT COUNT(*) FROM scheduled_tasks")) {
      r.next();
      return r.getLong(1);
    }
  }

  /** HikariCP, threads + 4 connections, as for every scheduler of the comparison. */
  private static HikariDataSource pool(String url) {
    HikariConfig c = new HikariConfig();
    c.setPoolName("db-scheduler");
    c.setJdbcUrl(url);
    c.setMaximumPoolSize(THREADS + 4);
    return new HikariDataSource(c);
  }
}
