package io.flinkplatform.engine.testing;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.spi.Cancellation;
import io.flinkplatform.spi.TaskConfig;
import io.flinkplatform.spi.TaskContext;
import io.flinkplatform.spi.TaskLog;
import io.flinkplatform.spi.TaskOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link TaskContext} for plugin tests: options typed by a task type's declarations, a settable
 * cancellation and deadline, and a log that keeps lines in memory (up to a cap) and counts them.
 */
public final class TestTaskContext implements TaskContext {
  private final TaskConfig config;
  private Map<String, String> parameters = Map.of();
  private Map<String, Map<String, String>> upstream = Map.of();
  private Optional<Instant> deadline = Optional.empty();
  private long runId = 42;
  private long attemptId = 7;
  private int attemptNumber = 2;
  private long fencingEpoch = 9;
  private final MemoryLog log = new MemoryLog(50_000);
  private final TestCancellation cancellation = new TestCancellation();

  private TestTaskContext(TaskConfig config) {
    this.config = config;
  }

  /** A context for the given raw options, typed by {@code declared} as the engine would. */
  public static TestTaskContext of(Map<String, ?> rawOptions, List<TaskOption> declared) {
    return new TestTaskContext(TaskConfig.of(rawOptions, declared));
  }

  public TestTaskContext parameters(Map<String, String> parameters) {
    this.parameters = Map.copyOf(parameters);
    return this;
  }

  public TestTaskContext upstream(Map<String, Map<String, String>> upstream) {
    this.upstream = Map.copyOf(upstream);
    return this;
  }

  /** Sets the run id, attempt id, attempt number and fencing epoch. */
  public TestTaskContext ids(long runId, long attemptId, int attemptNumber, long fencingEpoch) {
    this.runId = runId;
    this.attemptId = attemptId;
    this.attemptNumber = attemptNumber;
    this.fencingEpoch = fencingEpoch;
    return this;
  }

  public TestTaskContext deadline(Instant deadline) {
    this.deadline = Optional.of(deadline);
    return this;
  }

  public MemoryLog memoryLog() {
    return log;
  }

  public TestCancellation testCancellation() {
    return cancellation;
  }

  @Override
  public String workflowName() {
    return "wf";
  }

  @Override
  public int workflowVersion() {
    return 1;
  }

  @Override
  public long runId() {
    return runId;
  }

  @Override
  public String taskId() {
    return "step-1";
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
    return Instant.parse("2024-05-01T10:15:30Z");
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
    return Clock.systemUTC();
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

    public synchronized List<String> lines() {
      return List.copyOf(lines);
    }

    public long count() {
      return count.get();
    }
  }

  /** A cancellation that a test fires by hand, from any thread. */
  public static final class TestCancellation implements Cancellation {
    private final List<Runnable> actions = new ArrayList<>();
    private String reason;

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
