package io.flinkplatform.engine.internal.definition;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.engine.StoreException;
import io.flinkplatform.engine.WorkflowValidationException;
import io.flinkplatform.engine.dag.TaskDefinition;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.dag.WorkflowJson;
import io.flinkplatform.engine.internal.common.Json;
import io.flinkplatform.engine.internal.common.Outage;
import io.flinkplatform.engine.internal.store.FlowRow;
import io.flinkplatform.engine.internal.store.JobRow;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.engine.internal.store.StoreMapper;
import io.flinkplatform.engine.run.DeployedWorkflow;
import io.flinkplatform.engine.run.Limit;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Deploys workflows and reads deployed versions. A deploy validates the workflow, then in one
 * transaction stores the next version of its name, its tasks and its workflow-level limits (max
 * parallel tasks, max active runs); a lost version or lock race rolls the transaction back whole
 * and is tried again, up to {@link #DEPLOY_TRIES} times.
 */
public final class Deployments {
  /** How many times deploy() tries when it loses a version or lock race. */
  static final int DEPLOY_TRIES = 5;

  private final Store store;
  private final WorkflowValidator validator;
  private final Clock clock;

  public Deployments(Store store, WorkflowValidator validator, Clock clock) {
    this.store = store;
    this.validator = validator;
    this.clock = clock;
  }

  /** What is wrong with a workflow (empty when it can be deployed). */
  public List<String> validate(Workflow workflow) {
    return List.copyOf(validator.problems(requireNonNull(workflow, "workflow is null")));
  }

  public DeployedWorkflow deploy(Workflow workflow) {
    List<String> problems = validate(workflow);
    if (!problems.isEmpty()) {
      throw new WorkflowValidationException(workflow.name(), problems);
    }
    FlowRow row = new FlowRow();
    row.name = workflow.name();
    row.description = workflow.description();
    row.definition = WorkflowJson.write(workflow);
    row.createdAt = clock.millis();
    for (int tries = 1; ; tries++) {
      try {
        store.run("deploy workflow '" + workflow.name() + "'", m -> insert(m, workflow, row));
        return new DeployedWorkflow(
            row.id, row.version, workflow, Instant.ofEpochMilli(row.createdAt));
      } catch (StoreException e) {
        // a version race (a concurrent deploy of the name took it) or a lost lock race (deadlock,
        // lock wait timeout): the transaction was rolled back whole, so trying again is safe
        boolean race =
            Store.isDuplicateKey(e, "uk_job_flow_name_version") || Outage.isContention(e);
        if (tries >= DEPLOY_TRIES || !race) {
          throw e; // another error, or the races were lost each time
        }
      }
    }
  }

  /** Stores the next version of the workflow, its limits and its tasks (one transaction). */
  private void insert(StoreMapper m, Workflow workflow, FlowRow row) {
    Integer max = m.maxFlowVersion(workflow.name());
    row.version = max == null ? 1 : max + 1;
    m.insertFlow(row);
    List<JobRow> tasks = workflow.tasks().stream().map(t -> taskRow(row.id, t)).toList();
    long at = clock.millis();
    workflow
        .maxParallelTasks()
        .ifPresentOrElse(
            n -> m.upsertPool(Limit.Kind.WORKFLOW, workflow.name(), n, at),
            () -> m.deletePool(Limit.Kind.WORKFLOW, workflow.name()));
    workflow
        .maxActiveRuns()
        .ifPresentOrElse(
            n -> m.upsertPool(Limit.Kind.RUNS, workflow.name(), n, at),
            () -> m.deletePool(Limit.Kind.RUNS, workflow.name()));
    for (int i = 0; i < tasks.size(); i += Store.INSERT_CHUNK) {
      m.insertJobs(tasks.subList(i, Math.min(tasks.size(), i + Store.INSERT_CHUNK)));
    }
  }

  private static JobRow taskRow(long workflowVersionId, TaskDefinition t) {
    JobRow j = new JobRow();
    j.flowId = workflowVersionId;
    j.taskId = t.id();
    j.type = t.type();
    j.options = Json.write(t.options());
    j.triggerRule = t.triggerRule();
    j.maxRetries = t.retry().maxRetries();
    j.timeoutMs = t.timeout().map(Duration::toMillis).orElse(null);
    j.priority = t.priority();
    j.label = t.label().orElse("");
    j.pool = t.pool().orElse(null);
    return j;
  }

  /** A deployed version of a workflow: the latest when {@code version} is null. */
  public Optional<DeployedWorkflow> find(String name, Integer version) {
    requireNonNull(name, "name is null");
    FlowRow row = store.tx("read workflow '" + name + "'", m -> m.selectFlow(name, version));
    return Optional.ofNullable(row)
        .map(
            r ->
                new DeployedWorkflow(
                    r.id,
                    r.version,
                    WorkflowJson.read(r.definition),
                    Instant.ofEpochMilli(r.createdAt)));
  }
}
