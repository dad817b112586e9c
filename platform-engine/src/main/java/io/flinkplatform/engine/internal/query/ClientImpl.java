package io.flinkplatform.engine.internal.query;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.engine.InvalidRequestException;
import io.flinkplatform.engine.NotFoundException;
import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.RunTimeoutException;
import io.flinkplatform.engine.StoreException;
import io.flinkplatform.engine.WorkflowValidationException;
import io.flinkplatform.engine.dag.TaskDefinition;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.dag.WorkflowJson;
import io.flinkplatform.engine.event.PlatformEvent;
import io.flinkplatform.engine.internal.common.Events;
import io.flinkplatform.engine.internal.common.Json;
import io.flinkplatform.engine.internal.common.Outage;
import io.flinkplatform.engine.internal.common.Signals;
import io.flinkplatform.engine.internal.definition.Definitions;
import io.flinkplatform.engine.internal.definition.TypedParameters;
import io.flinkplatform.engine.internal.definition.WorkflowValidator;
import io.flinkplatform.engine.internal.progress.Progress;
import io.flinkplatform.engine.internal.progress.Runs;
import io.flinkplatform.engine.internal.rerun.Reruns;
import io.flinkplatform.engine.internal.schedule.Schedules;
import io.flinkplatform.engine.internal.store.Limits;
import io.flinkplatform.engine.internal.store.Rows.AttemptRow;
import io.flinkplatform.engine.internal.store.Rows.FlowRow;
import io.flinkplatform.engine.internal.store.Rows.JobRow;
import io.flinkplatform.engine.internal.store.Rows.RunRow;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.engine.internal.worker.LocalLogStore;
import io.flinkplatform.engine.run.DeployedWorkflow;
import io.flinkplatform.engine.run.Explanation;
import io.flinkplatform.engine.run.Limit;
import io.flinkplatform.engine.run.LogChunk;
import io.flinkplatform.engine.run.LogRange;
import io.flinkplatform.engine.run.RerunRequest;
import io.flinkplatform.engine.run.RerunResult;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.run.TriggerRequest;
import io.flinkplatform.engine.run.WorkflowRun;
import io.flinkplatform.engine.schedule.Backfill;
import io.flinkplatform.engine.schedule.BackfillRequest;
import io.flinkplatform.engine.schedule.FireTime;
import io.flinkplatform.engine.schedule.Schedule;
import io.flinkplatform.engine.schedule.ScheduleSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@link PlatformClient}: every call is one short transaction. */
public final class ClientImpl implements PlatformClient {
  private final Store store;
  private final WorkflowValidator validator;
  private final Definitions definitions;
  private final Progress progress;
  private final Events events;
  private final Signals signals;
  private final RunWaiters waiters;
  private final LocalLogStore logs;
  private final Clock clock;
  private final Schedules schedules;
  private final Explainer explainer;
  private final Reruns reruns;

  public ClientImpl(
      Store store,
      WorkflowValidator validator,
      Definitions definitions,
      Progress progress,
      Events events,
      Signals signals,
      RunWaiters waiters,
      LocalLogStore logs,
      Clock clock,
      Schedules schedules) {
    this.store = store;
    this.validator = validator;
    this.definitions = definitions;
    this.progress = progress;
    this.events = events;
    this.signals = signals;
    this.waiters = waiters;
    this.logs = logs;
    this.clock = clock;
    this.schedules = schedules;
    this.explainer = new Explainer(store, definitions, clock);
    this.reruns = new Reruns(definitions, progress);
  }

  @Override
  public List<String> validate(Workflow workflow) {
    return List.copyOf(validator.problems(requireNonNull(workflow, "workflow is null")));
  }

  /** How many times deploy() tries when it loses a version or lock race. */
  static final int DEPLOY_TRIES = 5;

  @Override
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
        store.run(
            "deploy workflow '" + workflow.name() + "'",
            m -> {
              Integer max = m.maxFlowVersion(workflow.name());
              row.version = max == null ? 1 : max + 1;
              m.insertFlow(row);
              List<JobRow> jobs = workflow.tasks().stream().map(t -> job(row.id, t)).toList();
              long at = clock.millis();
              workflow
                  .maxParallelTasks()
                  .ifPresentOrElse(
                      n -> m.upsertPool(Limits.WORKFLOW, workflow.name(), n, at),
                      () -> m.deletePool(Limits.WORKFLOW, workflow.name()));
              workflow
                  .maxActiveRuns()
                  .ifPresentOrElse(
                      n -> m.upsertPool(Limits.RUNS, workflow.name(), n, at),
                      () -> m.deletePool(Limits.RUNS, workflow.name()));
              for (int i = 0; i < jobs.size(); i += Runs.INSERT_CHUNK) {
                m.insertJobs(jobs.subList(i, Math.min(jobs.size(), i + Runs.INSERT_CHUNK)));
              }
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

  private static JobRow job(long flowId, TaskDefinition t) {
    JobRow j = new JobRow();
    j.flowId = flowId;
    j.taskId = t.id();
    j.type = t.type();
    j.options = Json.write(t.options());
    j.triggerRule = t.triggerRule().name();
    j.maxRetries = t.retry().maxRetries();
    j.timeoutMs = t.timeout().map(Duration::toMillis).orElse(null);
    j.priority = t.priority();
    j.label = t.label().orElse("");
    j.pool = t.pool().orElse(null);
    return j;
  }

  @Override
  public Optional<DeployedWorkflow> workflow(String name) {
    return find(name, null);
  }

  @Override
  public Optional<DeployedWorkflow> workflow(String name, int version) {
    return find(name, version);
  }

  private Optional<DeployedWorkflow> find(String name, Integer version) {
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

  @Override
  public long trigger(TriggerRequest request) {
    return triggerAll(List.of(requireNonNull(request, "request is null"))).get(0);
  }

  @Override
  public List<Long> triggerAll(List<TriggerRequest> requests) {
    requireNonNull(requests, "requests is null");
    if (requests.isEmpty()) {
      return List.of();
    }
    long now = clock.millis();
    List<RunRow> runs =
        store.tx(
            "trigger " + requests.size() + " run(s)",
            m -> {
              Map<String, FlowRow> flows = new HashMap<>();
              Map<String, List<String>> zones = new HashMap<>();
              List<RunRow> created = new ArrayList<>(requests.size());
              for (TriggerRequest r : requests) {
                FlowRow flow =
                    flows.computeIfAbsent(
                        r.workflowName() + "#" + r.version().orElse(0),
                        k -> m.selectFlow(r.workflowName(), r.version().orElse(null)));
                if (flow == null) {
                  throw new NotFoundException(
                      "workflow '"
                          + r.workflowName()
                          + "'"
                          + r.version().map(v -> " version " + v).orElse("")
                          + " is not deployed");
                }
                long logicalDate = r.logicalDate().map(Instant::toEpochMilli).orElse(now);
                Workflow w = definitions.get(flow.id).workflow;
                Map<String, String> params =
                    Runs.withZone(
                        r.parameters(),
                        w,
                        null,
                        () -> zones.computeIfAbsent(flow.name, m::selectScheduleZones));
                TypedParameters.checkRequest(w, params, Instant.ofEpochMilli(logicalDate));
                created.add(Runs.newRun(flow, params, logicalDate, now, RunState.RUNNING));
              }
              Runs.insert(m, definitions, created, now);
              return created;
            });
    for (RunRow run : runs) {
      events.emit(
          new PlatformEvent.RunStateChanged(
              Instant.ofEpochMilli(now), run.id, run.flowName, RunState.valueOf(run.state)));
    }
    signals.workReady(now);
    if (runs.stream().anyMatch(r -> RunState.CREATED.name().equals(r.state))) {
      signals.scheduleChanged(); // held by the workflow's max active runs: admission starts them
    }
    return runs.stream().map(r -> r.id).toList();
  }

  @Override
  public Optional<WorkflowRun> run(long runId) {
    return Optional.ofNullable(store.tx("read run " + runId, m -> m.selectRun(runId)))
        .map(ClientImpl::toRun);
  }

  @Override
  public List<WorkflowRun> runs(String workflowName, int limit) {
    requireNonNull(workflowName, "workflowName is null");
    return store
        .tx("read runs of '" + workflowName + "'", m -> m.selectRunsOfFlow(workflowName, limit))
        .stream()
        .map(ClientImpl::toRun)
        .toList();
  }

  @Override
  public List<TaskAttempt> attempts(long runId) {
    return store.tx("read attempts of run " + runId, m -> m.selectAttemptsOfRun(runId)).stream()
        .map(ClientImpl::toAttempt)
        .toList();
  }

  @Override
  public boolean kill(long runId) {
    long now = clock.millis();
    Progress.Changes changes =
        store.tx(
            "kill run " + runId,
            m -> {
              RunRow run = Progress.lockRuns(m, List.of(runId)).get(runId);
              if (run == null) {
                throw new NotFoundException("run " + runId + " does not exist");
              }
              RunState state = RunState.valueOf(run.state);
              if (state.isFinal()) {
                return null;
              }
              Progress.Changes c = new Progress.Changes();
              if (state != RunState.KILLING) {
                m.setRunState(runId, run.state, RunState.KILLING.name());
                run.state = RunState.KILLING.name();
                c.events.add(
                    new PlatformEvent.RunStateChanged(
                        Instant.ofEpochMilli(now), runId, run.flowName, RunState.KILLING));
              }
              m.killUnstarted(runId, now);
              progress.closeIfDone(m, List.of(run), now, c);
              return c;
            });
    if (changes == null) {
      return false;
    }
    events.emitAll(changes.events);
    signals.runKilled(runId);
    if (!changes.closedRuns.isEmpty()) {
      signals.runClosed();
    }
    return true;
  }

  @Override
  public WorkflowRun awaitRun(long runId, Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    while (true) {
      WorkflowRun run =
          run(runId).orElseThrow(() -> new NotFoundException("run " + runId + " does not exist"));
      long left = end - System.nanoTime();
      if (run.state().isFinal()) {
        return run;
      }
      if (left <= 0) {
        throw new RunTimeoutException(runId, run.state(), timeout);
      }
      try {
        waiters.await(Math.min(200, Math.max(1, left / 1_000_000)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RunTimeoutException(runId, run.state(), timeout);
      }
    }
  }

  @Override
  public String log(TaskAttempt attempt) {
    requireNonNull(attempt, "attempt is null");
    LogRange tail = LogRange.tail(LogRange.DEFAULT_TAIL_BYTES);
    // a running attempt's pointer may have been stored after this TaskAttempt was read
    return attempt.logPath().isPresent()
        ? logs.read(attempt.logPath().get(), tail).text()
        : log(attempt.id(), tail).text();
  }

  @Override
  public LogChunk log(long attemptId, LogRange range) {
    requireNonNull(range, "range is null");
    List<AttemptRow> rows =
        store.tx("read attempt " + attemptId, m -> m.selectAttempts(List.of(attemptId)));
    if (rows.isEmpty()) {
      throw new NotFoundException("attempt " + attemptId + " does not exist");
    }
    String pointer = rows.get(0).logPath;
    return pointer == null ? new LogChunk("", 0, 0, 0) : logs.read(pointer, range);
  }

  @Override
  public String mermaid(long runId) {
    RunRow run = store.tx("read run " + runId, m -> m.selectRun(runId));
    if (run == null) {
      throw new NotFoundException("run " + runId + " does not exist");
    }
    return Diagrams.mermaid(definitions.get(run.flowId).workflow, attempts(runId));
  }

  @Override
  public Schedule saveSchedule(ScheduleSpec spec) {
    Schedule saved = schedules.save(spec);
    signals.scheduleChanged();
    return saved;
  }

  @Override
  public Optional<Schedule> schedule(String name) {
    return schedules.get(name);
  }

  @Override
  public List<Schedule> schedules() {
    return schedules.all();
  }

  @Override
  public void pauseSchedule(String name) {
    schedules.setPaused(name, true);
  }

  @Override
  public void resumeSchedule(String name) {
    schedules.setPaused(name, false);
    signals.scheduleChanged();
  }

  @Override
  public boolean deleteSchedule(String name) {
    return schedules.delete(name);
  }

  @Override
  public List<FireTime> previewSchedule(ScheduleSpec spec, Instant from, int count) {
    return schedules.preview(spec, requireNonNull(from, "from is null"), count);
  }

  @Override
  public long backfill(BackfillRequest request) {
    long id = schedules.backfill(request);
    signals.scheduleChanged();
    return id;
  }

  @Override
  public Backfill backfillStatus(long backfillId) {
    return schedules.backfillStatus(backfillId);
  }

  @Override
  public boolean cancelBackfill(long backfillId) {
    Optional<List<Long>> runs = schedules.cancelBackfill(backfillId);
    runs.ifPresent(ids -> ids.forEach(this::kill));
    return runs.isPresent();
  }

  @Override
  public RerunResult rerun(RerunRequest request) {
    requireNonNull(request, "request is null");
    long now = clock.millis();
    return afterRerun(
        store.tx("rerun run " + request.runId(), m -> reruns.rerun(m, request, now)), now);
  }

  @Override
  public RerunResult markTask(long runId, String taskId, TaskState state) {
    requireNonNull(taskId, "taskId is null");
    requireNonNull(state, "state is null");
    long now = clock.millis();
    return afterRerun(
        store.tx(
            "mark task '" + taskId + "' of run " + runId + " " + state,
            m -> reruns.mark(m, runId, taskId, state, now)),
        now);
  }

  private RerunResult afterRerun(Reruns.Done done, long now) {
    events.emitAll(done.changes.events);
    if (done.changes.readied) {
      signals.workReady(now);
    }
    if (!done.changes.closedRuns.isEmpty()) {
      signals.runClosed();
    }
    return done.result;
  }

  static WorkflowRun toRun(RunRow r) {
    return new WorkflowRun(
        r.id,
        r.flowName,
        r.flowVersion,
        RunState.valueOf(r.state),
        Instant.ofEpochMilli(r.logicalDate),
        Json.stringMap(r.params),
        Instant.ofEpochMilli(r.createdAt),
        instant(r.startedAt),
        instant(r.endedAt));
  }

  static TaskAttempt toAttempt(AttemptRow r) {
    return new TaskAttempt(
        r.id,
        r.flowRunId,
        r.taskId,
        r.attempt,
        TaskState.valueOf(r.state),
        Optional.ofNullable(r.owner),
        r.epoch,
        Optional.ofNullable(r.externalRef),
        Json.stringMap(r.outputs),
        Optional.ofNullable(r.message),
        Optional.ofNullable(r.logPath),
        instant(r.startedAt),
        instant(r.endedAt));
  }

  private static Optional<Instant> instant(Long millis) {
    return Optional.ofNullable(millis).map(Instant::ofEpochMilli);
  }

  @Override
  public void setPool(String name, int slots) {
    setLimit(Limits.POOL, "name", name, slots);
  }

  @Override
  public void setTaskTypeLimit(String taskType, int slots) {
    setLimit(Limits.TASK_TYPE, "taskType", taskType, slots);
  }

  private void setLimit(String kind, String field, String name, int slots) {
    requireNonNull(name, field + " is null");
    if (!WorkflowValidator.LABEL.matcher(name).matches()) {
      throw new InvalidRequestException(
          field, "'" + name + "' must match " + WorkflowValidator.LABEL.pattern());
    }
    if (slots < 1) {
      throw new InvalidRequestException("slots", "must be at least 1 but was " + slots);
    }
    store.run(
        "set limit " + kind + " " + name, m -> m.upsertPool(kind, name, slots, clock.millis()));
    signals.workReady(0);
  }

  @Override
  public boolean removeLimit(Limit.Kind kind, String name) {
    requireNonNull(kind, "kind is null");
    requireNonNull(name, "name is null");
    boolean removed = store.tx("remove limit", m -> m.deletePool(kind.name(), name) > 0);
    signals.workReady(0);
    return removed;
  }

  @Override
  public List<Limit> limits() {
    return store.tx(
        "read limits",
        m -> {
          Map<String, Integer> used = Limits.usage(m.selectRunningUsage());
          return m.selectPools().stream()
              .map(
                  p ->
                      new Limit(
                          Limit.Kind.valueOf(p.kind),
                          p.name,
                          p.slots,
                          Limits.RUNS.equals(p.kind)
                              ? m.countActiveRunsOfFlow(p.name)
                              : used.getOrDefault(Limits.key(p.kind, p.name), 0)))
              .sorted(Comparator.comparing(Limit::kind).thenComparing(Limit::name))
              .toList();
        });
  }

  @Override
  public Explanation explain(long runId) {
    return explainer.explain(runId);
  }

  @Override
  public List<Explanation.Reason> explainSchedule(String name) {
    requireNonNull(name, "name is null");
    return explainer.explainSchedule(name);
  }
}
