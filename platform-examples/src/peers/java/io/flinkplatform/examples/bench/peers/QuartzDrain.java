package io.flinkplatform.examples.bench.peers;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.flinkplatform.examples.bench.DbCounters;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.JobListener;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

/**
 * W1 with Quartz 2.5.2: {@code n} no-op jobs, each with one {@code SimpleTrigger} firing now,
 * stored ({@code scheduleJobs}, {@value #CREATE_BATCH} per transaction) before the scheduler
 * starts; then one clustered {@code JobStoreTX} scheduler ({@code StdJDBCDelegate}, the jar's
 * {@code tables_mysql_innodb.sql}, {@value #THREADS} threads, {@code
 * batchTriggerAcquisitionMaxCount} 16) drains them. {@code misfireThreshold} is an hour so that the
 * backlog is acquired normally rather than by the misfire handler. A job counts as done when its
 * trigger rows are gone, so the end is when both trigger tables are empty.
 */
final class QuartzDrain {
  static final int THREADS = 16;
  static final int ACQUISITION_BATCH = 16;
  static final int CREATE_BATCH = 1_000;
  private static final String DATA_SOURCE = "peers";
  private static final String COUNTER = "executions";

  /** The no-op job; it counts its execution in the scheduler context's counter. */
  public static final class NoopJob implements Job {
    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
      try {
        ((ExecutionCounter) context.getScheduler().getContext().get(COUNTER))
            .executed(context.getJobDetail().getKey().getName());
      } catch (SchedulerException e) {
        throw new JobExecutionException(e);
      }
    }
  }

  private static final class Timing implements JobListener {
    final AtomicLong firstStart = new AtomicLong(Long.MAX_VALUE);
    final AtomicLong completed = new AtomicLong();
    final CountDownLatch done = new CountDownLatch(1);
    final long n;

    Timing(long n) {
      this.n = n;
    }

    @Override
    public String getName() {
      return "peers-timing";
    }

    @Override
    public void jobToBeExecuted(JobExecutionContext context) {
      firstStart.accumulateAndGet(System.nanoTime(), Math::min);
    }

    @Override
    public void jobExecutionVetoed(JobExecutionContext context) {}

    @Override
    public void jobWasExecuted(JobExecutionContext context, JobExecutionException e) {
      if (completed.incrementAndGet() == n) {
        done.countDown();
      }
    }
  }

  /** Hands Quartz the harness's pool; the harness closes it. */
  private record Pool(HikariDataSource ds) implements ConnectionProvider {
    @Override
    public Connection getConnection() throws SQLException {
      return ds.getConnection();
    }

    @Override
    public void shutdown() {}

    @Override
    public void initialize() {}
  }

  private final PeerDatabase db;
  private final PrintStream log;
  private int measurements;

  QuartzDrain(PeerDatabase db, PrintStream log) {
    this.db = db;
    this.log = log;
  }

  Sample drain(String row, int n, Duration timeout) throws Exception {
    String schema = "qz" + ++measurements;
    String url = db.freshSchema(schema);
    ExecutionCounter executions = new ExecutionCounter();
    Timing timing = new Timing(n);
    try (HikariDataSource ds = pool(url)) {
      createTables(ds);
      DBConnectionManager.getInstance().addConnectionProvider(DATA_SOURCE, new Pool(ds));
      Scheduler scheduler = new StdSchedulerFactory(properties()).getScheduler();
      try {
        scheduler.getContext().put(COUNTER, executions);
        scheduler.getListenerManager().addJobListener(timing);
        long start = System.nanoTime();
        Date now = new Date();
        Map<JobDetail, Set<? extends Trigger>> chunk = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
          JobDetail job = JobBuilder.newJob(NoopJob.class).withIdentity("j" + i, "bench").build();
          chunk.put(
              job,
              Set.of(
                  TriggerBuilder.newTrigger()
                      .withIdentity("t" + i, "bench")
                      .forJob(job)
                      .startAt(now)
                      .withSchedule(SimpleScheduleBuilder.simpleSchedule())
                      .build()));
          if (chunk.size() == CREATE_BATCH || i == n - 1) {
            scheduler.scheduleJobs(chunk, false); // one transaction per chunk
            chunk.clear();
          }
        }
        log.printf("  created %,d jobs in %.2f s%n", n, (System.nanoTime() - start) / 1e9);
        DbCounters before = db.counters();
        scheduler.start();
        if (!timing.done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          throw new IllegalStateException(
              row + ": " + timing.completed.get() + " of " + n + " done within " + timeout);
        }
        long end = awaitEmptyStore(ds);
        DbCounters counters = db.counters().since(before);
        long distinct = executions.executions() - executions.duplicates();
        Sample s =
            new Sample(
                row,
                n,
                (end - timing.firstStart.get()) / 1e9,
                counters,
                executions.duplicates(),
                Math.max(n - distinct, count(ds, "QRTZ_JOB_DETAILS")),
                IdleClaims.NONE);
        log.printf("  %s: %,d in %.2f s = %,.0f/s%n", row, n, s.seconds(), s.perSecond());
        return s;
      } finally {
        scheduler.shutdown(true);
      }
    } finally {
      db.dropSchema(schema);
    }
  }

  /** Waits (2 ms polls) until the last completions have committed; returns when they had. */
  private static long awaitEmptyStore(HikariDataSource ds) throws Exception {
    while (true) {
      long now = System.nanoTime();
      if (count(ds, "QRTZ_TRIGGERS") == 0 && count(ds, "QRTZ_FIRED_TRIGGERS") == 0) {
        return now;
      }
      Thread.sleep(2);
    }
  }

  private static long count(HikariDataSource ds, String table) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      r.next();
      return r.getLong(1);
    }
  }

  private static Properties properties() {
    Properties p = new Properties();
    p.setProperty("org.quartz.scheduler.instanceName", "peers");
    p.setProperty("org.quartz.scheduler.instanceId", "AUTO");
    p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
    p.setProperty(
        "org.quartz.scheduler.batchTriggerAcquisitionMaxCount",
        Integer.toString(ACQUISITION_BATCH));
    p.setProperty("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
    p.setProperty("org.quartz.threadPool.threadCount", Integer.toString(THREADS));
    p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
    p.setProperty(
        "org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.StdJDBCDelegate");
    p.setProperty("org.quartz.jobStore.isClustered", "true");
    p.setProperty("org.quartz.jobStore.misfireThreshold", "3600000");
    p.setProperty("org.quartz.jobStore.dataSource", DATA_SOURCE);
    return p;
  }

  /** Runs the quartz jar's MySQL/InnoDB script: comment lines dropped, statements split on ';'. */
  private static void createTables(HikariDataSource ds) throws IOException, SQLException {
    String script;
    try (InputStream in =
        Scheduler.class
            .getClassLoader()
            .getResourceAsStream("org/quartz/impl/jdbcjobstore/tables_mysql_innodb.sql")) {
      if (in == null) {
        throw new IllegalStateException("tables_mysql_innodb.sql is not in the quartz jar");
      }
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    StringBuilder sql = new StringBuilder();
    for (String line : script.split("\n")) {
      String t = line.trim();
      if (!t.isEmpty() && !t.startsWith("#") && !t.startsWith("--")) {
        sql.append(line).append('\n');
      }
    }
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      for (String statement : sql.toString().split(";")) {
        if (!statement.isBlank() && !statement.trim().equalsIgnoreCase("commit")) {
          s.execute(statement);
        }
      }
    }
  }

  /** HikariCP, threads + 4 connections, as for every scheduler of the comparison. */
  private static HikariDataSource pool(String url) {
    HikariConfig c = new HikariConfig();
    c.setPoolName("quartz");
    c.setJdbcUrl(url);
    c.setMaximumPoolSize(THREADS + 4);
    return new HikariDataSource(c);
  }
}
