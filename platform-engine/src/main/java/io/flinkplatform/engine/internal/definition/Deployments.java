package io.flinkplatform.engine.internal.definition;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.engine.StoreException;
import io.flinkplatform.engine.WorkflowValidationException;
import io.flinkplatform.engine.access.Action;
import io.flinkplatform.engine.dag.TaskDefinition;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.dag.WorkflowJson;
import io.flinkplatform.engine.internal.access.Access;
import io.flinkplatform.engine.internal.access.Caller;
import io.flinkplatform.engine.internal.access.Caps;
import io.flinkplatform.engine.internal.common.Json;
import io.flinkplatform.engine.internal.common.Outage;
import io.flinkplatform.engine.internal.store.FlowRow;
import io.flinkplatform.engine.internal.store.JobRow;
import io.flinkplatform.engine.internal.store.Limits;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.engine.internal.store.StoreMapper;
import io.flinkplatform.engine.run.DeployedWorkflow;
import io.flinkplatform.engine.run.Limit;
import io.flinkplatform.spi.WorkspaceAccess;
import io.flinkplatform.spi.Workspaces;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
  private final Access access;
  private final Clock clock;

  public Deployments(Store store, WorkflowValidator validator, Access access, Clock clock) {
    this.store = store;
    this.validator = validator;
    this.access = access;
    this.clock = clock;
  }

  /**
   * What is wrong with a workflow deployed in the caller's workspace (empty when it can be
   * deployed): its own problems, then labels and pools the workspace may not use.
   */
  public List<String> validate(Caller caller, Workflow workflow) {
    requireNonNull(workflow, "workflow is null");
    List<String> problems = new ArrayList<>(validator.problems(workflow, caller.workspace()));
    boolean routed =
        workflow.tasks().stream().anyMatch(t -> t.label().isPresent() || t.pool().isPresent());
    if (problems.isEmpty() && routed) { // no label and no pool: no grant to read
      store.run("read grants", m -> grantProblems(m, caller.workspace(), workflow, problems));
    }
    return List.copyOf(problems);
  }

  /** Labels not granted to the workspace, pools of other workspaces not granted to it. */
  private void grantProblems(
      StoreMapper m, String workspace, Workflow workflow, List<String> problems) {
    for (TaskDefinition t : workflow.tasks()) {
      t.label()
          .filter(l -> !access.labelGranted(m, workspace, l))
          .ifPresent(
              l ->
                  problems.add(
                      "task '"
                          + t.id()
                          + "': label '"
                          + l
                          + "' is not granted to workspace '"
                          + workspace
                          + "' (a platform admin grants labels)"));
      t.pool()
          .map(p -> Workspaces.resolve(workspace, p))
          .filter(p -> !p.isIn(workspace))
          .filter(p -> m.countGrant(workspace, WorkspaceAccess.POOL, p.workspace(), p.name()) == 0)
          .ifPresent(
              p ->
                  problems.add(
                      "task '"
                          + t.id()
                          + "': pool '"
                          + p
                          + "' belongs to workspace '"
                          + p.workspace()
                          + "', which has not granted it to workspace '"
                          + workspace
                          + "'"));
    }
  }

  /**
   * Validates the workflow and stores it as the next version of its name in the caller's workspace,
   * with its audit row.
   *
   * @throws WorkflowValidationException listing every problem
   * @throws io.flinkplatform.engine.CapExceededException if it goes beyond a cap of the workspace
   */
  public DeployedWorkflow deploy(Caller caller, Workflow workflow) {
    List<String> problems = validate(caller, workflow);
    if (!problems.isEmpty()) {
      throw new WorkflowValidationException(workflow.name(), problems);
    }
    FlowRow row = new FlowRow();
    row.workspace = caller.workspace();
    row.createdBy = caller.name();
    row.name = workflow.name();
    row.description = workflow.description();
    row.definition = WorkflowJson.write(workflow);
    row.createdAt = clock.millis();
    for (int tries = 1; ; tries++) {
      try {
        store.run(
            "deploy workflow '" + workflow.name() + "'",
            m -> {
              Caps.checkWorkflow(caller.workspace(), Caps.of(m, caller.workspace()), workflow);
              insert(m, workflow, row);
              access.audit(
                  m,
                  caller,
                  Action.DEPLOY,
                  "workflow:" + workflow.name(),
                  "version "
                      + row.version
                      + ", "
                      + workflow.tasks().size()
                      + " task(s), definition "
                      + Access.fingerprint(row.definition));
            });
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
    Integer max = m.maxFlowVersion(row.workspace, workflow.name());
    row.version = max == null ? 1 : max + 1;
    m.insertFlow(row);
    List<JobRow> tasks =
        workflow.tasks().stream().map(t -> taskRow(row.workspace, row.id, t)).toList();
    long at = clock.millis();
    String scoped = Limits.scoped(row.workspace, workflow.name());
    workflow
        .maxParallelTasks()
        .ifPresentOrElse(
            n -> m.upsertPool(Limit.Kind.WORKFLOW, scoped, n, at),
            () -> m.deletePool(Limit.Kind.WORKFLOW, scoped));
    workflow
        .maxActiveRuns()
        .ifPresentOrElse(
            n -> m.upsertPool(Limit.Kind.RUNS, scoped, n, at),
            () -> m.deletePool(Limit.Kind.RUNS, scoped));
    for (int i = 0; i < tasks.size(); i += Store.INSERT_CHUNK) {
      m.insertJobs(tasks.subList(i, Math.min(tasks.size(), i + Store.INSERT_CHUNK)));
    }
  }

  private static JobRow taskRow(String workspace, long workflowVersionId, TaskDefinition t) {
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
    // stored as workspace/pool: the claim counts a pool's slots across workspaces by that name
    j.pool = t.pool().map(p -> Workspaces.resolve(workspace, p).qualified()).orElse(null);
    return j;
  }

  /** A deployed version of a workflow: the latest when {@code version} is null. */
  public Optional<DeployedWorkflow> find(Caller caller, String name, Integer version) {
    requireNonNull(name, "name is null");
    FlowRow row =
        store.tx(
            "read workflow '" + name + "'", m -> m.selectFlow(caller.workspace(), name, version));
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
