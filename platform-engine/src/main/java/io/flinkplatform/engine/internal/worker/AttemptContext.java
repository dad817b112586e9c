package io.flinkplatform.engine.internal.worker;

import com.google.common.base.Suppliers;
import io.flinkplatform.engine.internal.claim.Claim;
import io.flinkplatform.engine.internal.definition.Dag;
import io.flinkplatform.spi.Cancellation;
import io.flinkplatform.spi.PlatformAccess;
import io.flinkplatform.spi.TaskConfig;
import io.flinkplatform.spi.TaskContext;
import io.flinkplatform.spi.TaskLog;
import io.flinkplatform.spi.UpstreamEdge;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** The {@link TaskContext} of one claimed attempt. */
public final class AttemptContext implements TaskContext {
  private final Claim claim;
  private final Dag dag;
  private final Supplier<Map<String, String>> parameters;
  private final Supplier<Map<String, Map<String, String>>> upstreamOutputs;
  private final TaskLog log;
  private final CancelSignal cancellation;
  private final Optional<Instant> deadline;
  private final Clock clock;
  private volatile LogicContext logic;

  AttemptContext(
      Claim claim,
      Dag dag,
      Supplier<Map<String, String>> parameters,
      Supplier<Map<String, Map<String, String>>> upstreamOutputs,
      TaskLog log,
      CancelSignal cancellation,
      Optional<Instant> deadline,
      Clock clock) {
    this.claim = claim;
    this.dag = dag;
    this.parameters = Suppliers.memoize(() -> Map.copyOf(parameters.get()));
    this.upstreamOutputs = Suppliers.memoize(upstreamOutputs::get);
    this.log = log;
    this.cancellation = cancellation;
    this.deadline = deadline;
    this.clock = clock;
  }

  @Override
  public String workspace() {
    return claim.run().workspace;
  }

  @Override
  public String workflowName() {
    return dag.workflow.name();
  }

  @Override
  public int workflowVersion() {
    return dag.version;
  }

  @Override
  public long runId() {
    return claim.run().id;
  }

  @Override
  public String taskId() {
    return claim.attempt().taskId;
  }

  @Override
  public long attemptId() {
    return claim.id();
  }

  @Override
  public int attemptNumber() {
    return claim.attempt().attempt;
  }

  @Override
  public long fencingEpoch() {
    return claim.epoch();
  }

  @Override
  public Instant logicalDate() {
    return Instant.ofEpochMilli(claim.run().logicalDate);
  }

  @Override
  public TaskConfig config() {
    return dag.configs.get(taskId());
  }

  @Override
  public Map<String, String> parameters() {
    return parameters.get();
  }

  @Override
  public Map<String, Map<String, String>> upstreamOutputs() {
    return upstreamOutputs.get();
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
  public String toString() {
    return "TaskContext[" + claim.describe() + ", epoch " + claim.epoch() + "]";
  }

  /** Adds what logic tasks read (upstream states, downstream ids, platform access). */
  AttemptContext withLogic(LogicContext logic) {
    this.logic = logic;
    return this;
  }

  @Override
  public List<UpstreamEdge> upstream() {
    return logic == null ? List.of() : logic.upstream();
  }

  @Override
  public List<String> downstreamTaskIds() {
    return logic == null ? List.of() : logic.downstream();
  }

  @Override
  public PlatformAccess platform() {
    if (logic == null) {
      throw new UnsupportedOperationException("this task context offers no platform access");
    }
    return logic.platform();
  }
}
