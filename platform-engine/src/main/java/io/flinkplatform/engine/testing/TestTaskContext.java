package io.flinkplatform.engine.testing;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.spi.Cancellation;
import io.flinkplatform.spi.PlatformAccess;
import io.flinkplatform.spi.TaskConfig;
import io.flinkplatform.spi.TaskContext;
import io.flinkplatform.spi.TaskLog;
import io.flinkplatform.spi.TaskOption;
import io.flinkplatform.spi.TaskType;
import io.flinkplatform.spi.UpstreamEdge;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link TaskContext} for unit tests of a task plugin, without an engine or a database: call the
 * task type's {@code execute} (or an external type's {@code submit}, {@code poll}, {@code cancel})
 * with it and look at the outcome, the log lines and what the task did with its cancellation.
 *
 * <p>Options are typed by the task type's declarations, as the engine types them ({@link
 * TaskConfig#of}); parameters, upstream outputs and edges, ids, logical date, deadline and clock
 * are set by the test (each has a fixed default, listed at its setter). The log keeps the first
 * 50,000 lines in memory and counts all of them ({@link #memoryLog()}); the cancellation is fired
 * by the test, from any thread ({@link #testCancellation()}). Not thread-safe to configure;
 * configure it before the task runs.
 *
 * <pre>{@code
 * TestTaskContext context =
 *     TestTaskContext.of(Map.of("greeting", "hello"), new GreetTaskType().options())
 *         .parameters(Map.of("name", "ada"));
 * TaskOutcome outcome = new GreetTaskType().execute(context);
 * assertThat(context.memoryLog().lines()).contains("hello ada");
 * }</pre>
 */
public final class TestTaskContext implements TaskContext {
  /** Lines the {@link MemoryLog} keeps; later lines are counted only. */
  public static final int LOG_LINES_KEPT = 50_000;

  private final TaskConfig config;
  private final MemoryLog log = new MemoryLog(LOG_LINES_KEPT);
  private final TestCancellation cancellation = new TestCancellation();
  private Map<String, String> parameters = Map.of();
  private Map<String, Map<String, String>> upstream = Map.of();
  private List<UpstreamEdge> upstreamEdges = List.of();
  private List<String> downstreamTaskIds = List.of();
  private PlatformAccess platform;
  private Optional<Instant> deadline = Optional.empty();
  private String workflowName = "wf";
  private int workflowVersion = 1;
  private String taskId = "step-1";
  private long runId = 42;
  private long attemptId = 7;
  private int attemptNumber = 2;
  private long fencingEpoch = 9;
  private Instant logicalDate = Instant.parse("2024-05-01T10:15:30Z");
  private Clock clock = Clock.systemUTC();

  private TestTaskContext(TaskConfig config) {
    this.config = config;
  }

  /**
   * A context for the given raw options, typed by {@code declared} as the engine would.
   *
   * @throws IllegalArgumentException naming the first option whose value does not convert
   */
  public static TestTaskContext of(Map<String, ?> rawOptions, List<TaskOption> declared) {
    return new TestTaskContext(TaskConfig.of(rawOptions, declared));
  }

  /** A context for the given raw options of {@code type} (typed by its {@code options()}). */
  public static TestTaskContext of(TaskType type, Map<String, ?> rawOptions) {
    return of(rawOptions, type.options());
  }

  /** The task's resolved parameters (default: none). */
  public TestTaskContext parameters(Map<String, String> parameters) {
    this.parameters = Map.copyOf(parameters);
    return this;
  }

  /** The outputs of the tasks directly upstream, by task id (default: none). */
  public TestTaskContext upstream(Map<String, Map<String, String>> upstream) {
    this.upstream = Map.copyOf(upstream);
    return this;
  }

  /** The incoming edges with their upstream tasks' states (default: none). */
  public TestTaskContext upstreamEdges(List<UpstreamEdge> edges) {
    this.upstreamEdges = List.copyOf(edges);
    return this;
  }

  /** The ids of the tasks directly downstream, for tasks that choose branches (default: none). */
  public TestTaskContext downstreamTaskIds(List<String> taskIds) {
    this.downstreamTaskIds = List.copyOf(taskIds);
    return this;
  }

  /**
   * The access to other runs that {@link #platform()} returns (default: none, and {@link
   * #platform()} throws {@link UnsupportedOperationException} as an engine context without it
   * would).
   */
  public TestTaskContext platform(PlatformAccess platform) {
    this.platform = requireNonNull(platform, "platform is null");
    return this;
  }

  /** The workflow's name and version (default {@code "wf"}, 1). */
  public TestTaskContext workflow(String name, int version) {
    this.workflowName = requireNonNull(name, "name is null");
    this.workflowVersion = version;
    return this;
  }

  /** The task's id (default {@code "step-1"}). */
  public TestTaskContext taskId(String taskId) {
    this.taskId = requireNonNull(taskId, "taskId is null");
    return this;
  }

  /** Sets the run id, attempt id, attempt number and fencing epoch (default 42, 7, 2, 9). */
  public TestTaskContext ids(long runId, long attemptId, int attemptNumber, long fencingEpoch) {
    this.runId = runId;
    this.attemptId = attemptId;
    this.attemptNumber = attemptNumber;
    this.fencingEpoch = fencingEpoch;
    return this;
  }

  /** When the attempt times out (default: no timeout). */
  public TestTaskContext deadline(Instant deadline) {
    this.deadline = Optional.of(requireNonNull(deadline, "deadline is null"));
    return this;
  }

  /** The run's logical date (default 2024-05-01T10:15:30Z). */
  public TestTaskContext logicalDate(Instant logicalDate) {
    this.logicalDate = requireNonNull(logicalDate, "logicalDate is null");
    return this;
  }

  /** The clock the task reads (default the system clock); a {@link ManualClock} for time. */
  public TestTaskContext clock(Clock clock) {
    this.clock = requireNonNull(clock, "clock is null");
    return this;
  }

  /** The log the task writes to: its lines and how many there were. */
  public MemoryLog memoryLog() {
    return log;
  }

  /** The attempt's cancellation, which the test fires ({@link TestCancellation#cancel}). */
  public TestCancellation testCancellation() {
    return cancellation;
  }

  @Override
  public String workflowName() {
    return workflowName;
  }

  @Override
  public int workflowVersion() {
    return workflowVersion;
  }

  @Override
  public long runId() {
    return runId;
  }

  @Override
  public String taskId() {
    return taskId;
  }

  @Override
  public long attemptId() {
    return attemptId;
  }

  @Override
  public int attemptNumber() {
    return attemptNumber;
  }

  @Override
  public long fencingEpoch() {
    return fencingEpoch;
  }

  @Override
  public Instant logicalDate() {
    return logicalDate;
  }

  @Override
  public TaskConfig config() {
    return config;
  }

  @Override
  public Map<String, String> parameters() {
    return parameters;
  }

  @Override
  public Map<String, Map<String, String>> upstreamOutputs() {
    return upstream;
  }

  @Override
  public TaskLog log() {
    return log;
  }

  @Override
  public Cancellation cancellation() {
    return cancellation;
  }

  @Override
  public Optional<Instant> deadline() {
    return deadline;
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public List<UpstreamEdge> upstream() {
    return upstreamEdges;
  }

  @Override
  public List<String> downstreamTaskIds() {
    return downstreamTaskIds;
  }

  @Override
  public PlatformAccess platform() {
    if (platform == null) {
      throw new UnsupportedOperationException("this task context offers no platform access");
    }
    return platform;
  }

  /** Keeps the first {@code cap} lines and counts all of them. Thread-safe. */
  public static final class MemoryLog implements TaskLog {
    private final int cap;
    private final List<String> lines = new ArrayList<>();
    private final AtomicLong count = new AtomicLong();

    MemoryLog(int cap) {
      this.cap = cap;
    }

    @Override
    public synchronized void line(String line) {
      requireNonNull(line, "line is null");
      count.incrementAndGet();
      if (lines.size() < cap) {
        lines.add(line);
      }
    }

    /** The lines kept, in order. */
    public synchronized List<String> lines() {
      return List.copyOf(lines);
    }

    /** Every line written, kept or not. */
    public long count() {
      return count.get();
    }
  }

  /** A cancellation that a test fires by hand, from any thread. */
  public static final class TestCancellation implements Cancellation {
    private final List<Runnable> actions = new ArrayList<>();
    private String reason;

    /**
     * Fires the cancellation with {@code why} as its reason and runs the actions registered with
     * {@link #onCancel} on the calling thread; later calls do nothing.
     */
    public void cancel(String why) {
      List<Runnable> toRun;
      synchronized (this) {
        if (reason != null) {
          return;
        }
        reason = requireNonNull(why, "why is null");
        toRun = List.copyOf(actions);
        actions.clear();
      }
      toRun.forEach(Runnable::run);
    }

    @Override
    public synchronized boolean isCancelled() {
      return reason != null;
    }

    @Override
    public synchronized String reason() {
      return reason;
    }

    @Override
    public void onCancel(Runnable action) {
      synchronized (this) {
        if (reason == null) {
          actions.add(action);
          return;
        }
      }
      action.run();
    }
  }
}
