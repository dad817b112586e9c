package io.flinkplatform.engine.testing;

import io.flinkplatform.engine.internal.progress.Progress;
import io.flinkplatform.spi.ExternalRef;
import io.flinkplatform.spi.ExternalStatus;
import io.flinkplatform.spi.ExternalTaskType;
import io.flinkplatform.spi.OptionType;
import io.flinkplatform.spi.PluginContext;
import io.flinkplatform.spi.TaskContext;
import io.flinkplatform.spi.TaskOption;
import io.flinkplatform.spi.TaskOutcome;
import io.flinkplatform.spi.TaskPlugin;
import io.flinkplatform.spi.TaskType;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/** Task types for engine tests. Each records the attempts it ran in {@link #EXECUTIONS}. */
public final class TestTasks implements TaskPlugin {
  /** "runId/taskId/attempt/epoch" of every execution, for tests that count them. */
  public static final Set<String> EXECUTIONS = ConcurrentHashMap.newKeySet();

  @Override
  public String name() {
    return "test";
  }

  /** The name of the instance this plugin runs in, once started. */
  private volatile String instanceName = "?";

  @Override
  public List<TaskType> taskTypes() {
    return List.of(
        new Noop(),
        new Fail(),
        new Sleep(),
        new Emit(),
        new Skip(),
        new Process(),
        new Stream(),
        new Interval(() -> instanceName),
        new Progress(),
        new Choose(),
        new Verdict(),
        new Gate());
  }

  @Override
  public void start(PluginContext context) {
    instanceName = context.instanceName();
  }

  static void record(TaskContext c) {
    EXECUTIONS.add(c.runId() + "/" + c.taskId() + "/" + c.attemptNumber() + "/" + c.fencingEpoch());
  }

  /** Succeeds at once. */
  public static final class Noop implements TaskType {
    @Override
    public String id() {
      return "noop";
    }

    @Override
    public TaskOutcome execute(TaskContext c) {
      return TaskOutcome.success();
    }
  }

  /** Fails its first {@code failTimes} attempts (all when absent), then succeeds. */
  public static final class Fail implements TaskType {
    @Override
    public String id() {
      return "fail";
    }

    @Override
    public List<TaskOption> options() {
      return List.of(
          TaskOption.optional("failTimes", OptionType.INT, Integer.MAX_VALUE, "attempts that fail"),
          TaskOption.optional("retryable", OptionType.BOOLEAN, true, "whether failures retry"));
    }

    @Override
    public TaskOutcome execute(TaskContext c) {
      record(c);
      c.log().line("attempt " + c.attemptNumber());
      if (c.attemptNumber() <= c.config().integer("failTimes").orElseThrow()) {
        return new TaskOutcome.Failure(
            "planned failure of attempt " + c.attemptNumber(),
            c.config().bool("retryable").orElseThrow());
      }
      return TaskOutcome.success(Map.of("attempt", Integer.toString(c.attemptNumber())));
    }
  }

  /**
   * Runs until a test opens its gate (option {@code gate}, a name of the test's own), honouring
   * cancellation: a test watches it RUNNING, then lets it succeed with {@link #open}. Gates are
   * named, so tests do not open each other's.
   */
  public static final class Gate implements TaskType {
    private static final Map<String, java.util.concurrent.CountDownLatch> GATES =
        new ConcurrentHashMap<>();

    /** Lets every task waiting at {@code gate} (now or later) succeed. */
    public static void open(String gate) {
      latch(gate).countDown();
    }

    private static java.util.concurrent.CountDownLatch latch(String gate) {
      return GATES.computeIfAbsent(gate, g -> new java.util.concurrent.CountDownLatch(1));
    }

    @Override
    public String id() {
      return "gate";
    }

    @Override
    public List<TaskOption> options() {
      return List.of(TaskOption.required("gate", OptionType.STRING, "the gate's name"));
    }

    @Override
    public TaskOutcome execute(TaskContext c) throws InterruptedException {
      record(c);
      String gate = c.config().string("gate").orElseThrow();
      c.log().line("waiting at gate " + gate);
      latch(gate).await();
      c.log().line("gate " + gate + " opened");
      return TaskOutcome.success(Map.of("gate", gate));
    }
  }

  /** Sleeps, honouring cancellation. */
  public static final class Sleep implements TaskType {
    @Override
    public String id() {
      return "sleep";
    }

    @Override
    public List<TaskOption> options() {
      return List.of(TaskOption.required("duration", OptionType.DURATION, "how long to sleep"));
    }

    @Override
    public TaskOutcome execute(TaskContext c) throws InterruptedException {
      record(c);
      Thread.sleep(c.config().duration("duration").orElseThrow().toMillis());
      return TaskOutcome.success();
    }
  }

  /** Publishes its {@code outputs} plus every upstream output it saw, as "seen.<task>.<key>". */
  public static final class Emit implements TaskType {
    @Override
    public String id() {
      return "emit";
    }

    @Override
    public List<TaskOption> options() {
      return List.of(TaskOption.optional("outputs", OptionType.STRING_MAP, null, "outputs"));
    }

    @Override
    public TaskOutcome execute(TaskContext c) {
      Map<String, String> out = new LinkedHashMap<>(c.config().stringMap("outputs"));
      c.upstreamOutputs().forEach((t, m) -> m.forEach((k, v) -> out.put("seen." + t + "." + k, v)));
      c.parameters().forEach((k, v) -> out.put("param." + k, v));
      return TaskOutcome.success(out);
    }
  }

  /** Decides to skip itself. */
  public static final class Skip implements TaskType {
    @Override
    public String id() {
      return "skip";
    }

    @Override
    public TaskOutcome execute(TaskContext c) {
      return TaskOutcome.skipped("nothing to do");
    }
  }

  /**
   * External work that is a real OS process ({@code sleep}): submitted, polled by pid and start
   * time, cancelled by signal, and re-attached after a failover without starting it again. With
   * {@code fail} an ended process is a failure; with {@code pollThrows} ("exception" or "error")
   * every poll throws.
   */
  public static final class Process implements ExternalTaskType {
    /** Attempt ids for which a process was started, to prove re-attach does not resubmit. */
    public static final Map<Long, Integer> SUBMISSIONS = new ConcurrentHashMap<>();

    /** Calls of {@code cancel} per attempt id. */
    public static final Map<Long, Integer> CANCELS = new ConcurrentHashMap<>();

    /** The pid of the process started for each attempt id. */
    public static final Map<Long, Long> PIDS = new ConcurrentHashMap<>();

    private static final AtomicLong POLLS = new AtomicLong();

    @Override
    public String id() {
      return "process";
    }

    @Override
    public List<TaskOption> options() {
      return List.of(
          TaskOption.required("seconds", OptionType.INT, "how long the process sleeps"),
          TaskOption.optional(
              "stamp",
              OptionType.BOOLEAN,
              false,
              "hand over a new reference at every poll, naming the polling JVM (attribute"
                  + " \"poller\": its pid), so that a test sees who last stored the reference"),
          TaskOption.optional("pollMillis", OptionType.INT, 100, "poll interval in ms"),
          TaskOption.optional("fail", OptionType.BOOLEAN, false, "an ended process fails"),
          TaskOption.optional(
              "pollThrows", OptionType.STRING, "", "\"exception\" or \"error\": polls throw"));
    }

    @Override
    public Duration pollInterval() {
      return Duration.ofMillis(100);
    }

    @Override
    public Duration pollInterval(TaskContext c) {
      return Duration.ofMillis(c.config().integer("pollMillis").orElse(100));
    }

    @Override
    public ExternalRef submit(TaskContext c) throws Exception {
      SUBMISSIONS.merge(c.attemptId(), 1, Integer::sum);
      java.lang.Process p =
          new ProcessBuilder("sleep", c.config().integer("seconds").orElseThrow().toString())
              .redirectErrorStream(true)
              .start();
      ProcessHandle h = p.toHandle();
      PIDS.put(c.attemptId(), h.pid());
      return new ExternalRef(
          Long.toString(h.pid()),
          Map.of("started", h.info().startInstant().map(Object::toString).orElse("")));
    }

    @Override
    public ExternalStatus poll(TaskContext c, ExternalRef ref) {
      switch (c.config().string("pollThrows").orElse("")) {
        case "exception" -> throw new IllegalStateException("poll refused by the test");
        case "error" -> throw new LinkageError("poll broken by the test");
        default -> {}
      }
      boolean alive =
          ProcessHandle.of(Long.parseLong(ref.id()))
              .filter(
                  h ->
                      h.info()
                          .startInstant()
                          .map(Object::toString)
                          .orElse("")
                          .equals(ref.attributes().get("started")))
              .map(ProcessHandle::isAlive)
              .orElse(false);
      if (alive && c.config().bool("stamp").orElse(false)) {
        Map<String, String> attributes = new LinkedHashMap<>(ref.attributes());
        attributes.put("poller", Long.toString(ProcessHandle.current().pid()));
        attributes.put("poll", Long.toString(POLLS.incrementAndGet()));
        return ExternalStatus.running("sleeping").withRef(new ExternalRef(ref.id(), attributes));
      }
      return alive
          ? ExternalStatus.running("sleeping")
          : ExternalStatus.finished(
              c.cancellation().isCancelled()
                  ? TaskOutcome.failure("cancelled")
                  : c.config().bool("fail").orElse(false)
                      ? TaskOutcome.failure("the process ended; planned failure")
                      : TaskOutcome.success());
    }

    @Override
    public void cancel(TaskContext c, ExternalRef ref) {
      CANCELS.merge(c.attemptId(), 1, Integer::sum);
      ProcessHandle.of(Long.parseLong(ref.id())).ifPresent(ProcessHandle::destroy);
    }
  }

  /**
   * External work that runs until a test stops it (a stand-in for a streaming job): once up it
   * releases the tasks behind its RUNNING edges and hands over a new reference ("generation" 1).
   * With option {@code reject} its submission fails without retries; with option {@code
   * fail_at_stop} its work fails (without retries) when stopped instead of succeeding.
   */
  public static final class Stream implements ExternalTaskType {
    /** Attempt ids whose work should end (successfully) at the next poll. */
    public static final Set<Long> STOP = ConcurrentHashMap.newKeySet();

    /** Submissions per attempt id. */
    public static final Map<Long, Integer> SUBMISSIONS = new ConcurrentHashMap<>();

    /**
     * Forgets the stops and submissions recorded so far: attempt ids start at 1 in every test
     * database, so a test with a database of its own calls this before and after it.
     */
    public static void reset() {
      STOP.clear();
      SUBMISSIONS.clear();
    }

    @Override
    public String id() {
      return "stream";
    }

    @Override
    public List<TaskOption> options() {
      return List.of(
          TaskOption.optional("reject", OptionType.BOOLEAN, false, "fail the submission"),
          TaskOption.optional("fail_at_stop", OptionType.BOOLEAN, false, "fail when stopped"));
    }

    @Override
    public Duration pollInterval() {
      return Duration.ofMillis(50);
    }

    @Override
    public ExternalRef submit(TaskContext c) throws Exception {
      SUBMISSIONS.merge(c.attemptId(), 1, Integer::sum);
      if (c.config().bool("reject").orElse(false)) {
        throw io.flinkplatform.spi.TaskFailedException.fatal("rejected by the test");
      }
      return new ExternalRef("stream-" + c.attemptId(), Map.of("generation", "0"));
    }

    @Override
    public ExternalStatus poll(TaskContext c, ExternalRef ref) {
      if (STOP.contains(c.attemptId())) {
        if (c.config().bool("fail_at_stop").orElse(false)) {
          return ExternalStatus.finished(
              new TaskOutcome.Failure("stopped, failing as asked", false));
        }
        return ExternalStatus.finished(
            c.cancellation().isCancelled()
                ? TaskOutcome.failure("cancelled")
                : TaskOutcome.success(Map.of("generation", ref.attributes().get("generation"))));
      }
      return ExternalStatus.running("streaming", true)
          .withRef(new ExternalRef(ref.id(), Map.of("generation", "1")));
    }

    @Override
    public void cancel(TaskContext c, ExternalRef ref) {
      STOP.add(c.attemptId());
    }
  }

  /**
   * Sleeps a while (honouring cancellation) and records each execution as an interval in the table
   * {@value IntervalRecorder#TABLE} of the database named by the run parameter {@value #URL},
   * through a connection of its own: one row at start (attempt, epoch, instance, pid, start time)
   * and its end time and outcome when it ends, however it ends. A chaos test reads them back to
   * prove that no two executions of a task overlapped; an interval that never ended belongs to a
   * killed process. The sleep is {@code millis} when given, else between {@code minMillis} and
   * {@code maxMillis}, chosen by the run and task ids.
   */
  public static final class Interval implements TaskType {
    /** The run (or workflow) parameter with the JDBC URL of the interval table. */
    public static final String URL = "chaos_url";

    /**
     * The outcome recorded when the attempt was stopped while its start row was being written (a
     * database frozen under that write): the work itself never began.
     */
    public static final String NOT_STARTED = "not started";

    private final Supplier<String> instance;

    Interval(Supplier<String> instance) {
      this.instance = instance;
    }

    @Override
    public String id() {
      return "interval";
    }

    @Override
    public List<TaskOption> options() {
      return List.of(
          TaskOption.optional("millis", OptionType.INT, -1, "fixed sleep (ms)"),
          TaskOption.optional("minMillis", OptionType.INT, 50, "shortest sleep (ms)"),
          TaskOption.optional("maxMillis", OptionType.INT, 300, "longest sleep (ms)"));
    }

    @Override
    public TaskOutcome execute(TaskContext c) throws Exception {
      String url = c.parameters().get(URL);
      if (url == null) {
        return TaskOutcome.fatal("run parameter " + URL + " is missing");
      }
      int fixed = c.config().integer("millis").orElseThrow();
      int min = c.config().integer("minMillis").orElseThrow();
      int max = c.config().integer("maxMillis").orElseThrow();
      long sleep =
          fixed >= 0
              ? fixed
              : min + Math.floorMod((c.runId() + "/" + c.taskId()).hashCode(), max - min + 1);
      long row = IntervalRecorder.start(url, c, instance.get());
      String outcome = "interrupted";
      try {
        if (c.cancellation().isCancelled()) {
          outcome = NOT_STARTED;
          return TaskOutcome.failure("stopped before its work began");
        }
        Thread.sleep(sleep);
        outcome = "success";
        return TaskOutcome.success(Map.of("slept", Long.toString(sleep)));
      } finally {
        boolean interrupted = Thread.interrupted(); // the end must be written even when cancelled
        IntervalRecorder.end(url, row, outcome);
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  /**
   * Work that is visible from outside while it happens: every {@code every} (default 100 ms) it
   * inserts a row (attempt id, task, epoch, pid of the JVM running it, tick, database time in ms)
   * into {@code t_test_progress}, through a connection of its own to {@code url}, for {@code ticks}
   * ticks. Ticks, not elapsed time, bound it, so time spent frozen does not count as work done. It
   * stops at its next tick once cancelled. The test creates the table: {@link #TABLE}.
   */
  public static final class Progress implements TaskType {
    public static final String TABLE =
        "CREATE TABLE t_test_progress (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
            + " attempt_id BIGINT NOT NULL, task_id VARCHAR(128) NOT NULL, epoch BIGINT NOT NULL,"
            + " pid BIGINT NOT NULL, tick INT NOT NULL, at_ms BIGINT NOT NULL)";

    @Override
    public String id() {
      return "progress";
    }

    @Override
    public List<TaskOption> options() {
      return List.of(
          TaskOption.required("url", OptionType.STRING, "JDBC URL of the schema to write to"),
          TaskOption.required("ticks", OptionType.INT, "how many rows to write"),
          TaskOption.optional("every", OptionType.DURATION, Duration.ofMillis(100), "tick"));
    }

    @Override
    public TaskOutcome execute(TaskContext c) throws Exception {
      record(c);
      int ticks = c.config().integer("ticks").orElseThrow();
      long every = c.config().duration("every").orElseThrow().toMillis();
      try (Connection conn = DriverManager.getConnection(c.config().string("url").orElseThrow());
          PreparedStatement insert =
              conn.prepareStatement(
                  "INSERT INTO t_test_progress (attempt_id, task_id, epoch, pid, tick, at_ms)"
                      + " VALUES (?, ?, ?, ?, ?, ROUND(UNIX_TIMESTAMP(NOW(3)) * 1000))")) {
        for (int tick = 0; tick < ticks; tick++) {
          if (c.cancellation().isCancelled()) {
            return TaskOutcome.failure(
                "stopped at tick " + tick + ": " + c.cancellation().reason());
          }
          insert.setLong(1, c.attemptId());
          insert.setString(2, c.taskId());
          insert.setLong(3, c.fencingEpoch());
          insert.setLong(4, ProcessHandle.current().pid());
          insert.setInt(5, tick);
          insert.executeUpdate();
          Thread.sleep(every);
        }
      }
      return TaskOutcome.success(Map.of("ticks", Integer.toString(ticks)));
    }
  }

  /** A switch: succeeds and fires only its edges to the tasks in {@code to}. */
  public static final class Choose implements TaskType {
    @Override
    public String id() {
      return "choose";
    }

    @Override
    public List<TaskOption> options() {
      return List.of(
          TaskOption.required("to", OptionType.STRING_LIST, "the downstream task ids chosen"));
    }

    @Override
    public TaskOutcome execute(TaskContext c) {
      record(c);
      return TaskOutcome.branch(Map.of(), Set.copyOf(c.config().stringList("to")));
    }
  }

  /**
   * A decision, like a condition: runs once every upstream task ended, whatever their outcomes, and
   * fails (without retries) when {@code holds} is false, so that its FAILURE edges fire instead.
   */
  public static final class Verdict implements TaskType {
    @Override
    public String id() {
      return "verdict";
    }

    @Override
    public boolean evaluatesUpstream() {
      return true;
    }

    @Override
    public List<TaskOption> options() {
      return List.of(TaskOption.required("holds", OptionType.BOOLEAN, "the verdict"));
    }

    @Override
    public TaskOutcome execute(TaskContext c) {
      record(c);
      return c.config().bool("holds").orElseThrow()
          ? TaskOutcome.success()
          : TaskOutcome.fatal("does not hold");
    }
  }
}
