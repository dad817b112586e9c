package io.flinkplatform.engine.internal.query;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.access.Action;
import io.flinkplatform.engine.access.AuditEntry;
import io.flinkplatform.engine.access.AuditQuery;
import io.flinkplatform.engine.access.Grant;
import io.flinkplatform.engine.access.Member;
import io.flinkplatform.engine.access.WorkspaceCaps;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.internal.access.Access;
import io.flinkplatform.engine.internal.access.Caller;
import io.flinkplatform.engine.internal.access.WorkspaceAdmin;
import io.flinkplatform.engine.internal.command.LimitSettings;
import io.flinkplatform.engine.internal.command.RerunCommands;
import io.flinkplatform.engine.internal.command.RunCommands;
import io.flinkplatform.engine.internal.common.Signals;
import io.flinkplatform.engine.internal.definition.Deployments;
import io.flinkplatform.engine.internal.resource.ResourceLibrary;
import io.flinkplatform.engine.internal.schedule.Backfills;
import io.flinkplatform.engine.internal.schedule.Schedules;
import io.flinkplatform.engine.run.DeployedWorkflow;
import io.flinkplatform.engine.run.Explanation;
import io.flinkplatform.engine.run.InstanceInfo;
import io.flinkplatform.engine.run.Limit;
import io.flinkplatform.engine.run.LogChunk;
import io.flinkplatform.engine.run.LogRange;
import io.flinkplatform.engine.run.Overview;
import io.flinkplatform.engine.run.RerunRequest;
import io.flinkplatform.engine.run.RerunResult;
import io.flinkplatform.engine.run.RunPage;
import io.flinkplatform.engine.run.RunQuery;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.run.TriggerRequest;
import io.flinkplatform.engine.run.VersionDiff;
import io.flinkplatform.engine.run.WorkflowRun;
import io.flinkplatform.engine.run.WorkflowSummary;
import io.flinkplatform.engine.run.WorkflowVersion;
import io.flinkplatform.engine.schedule.Backfill;
import io.flinkplatform.engine.schedule.BackfillRequest;
import io.flinkplatform.engine.schedule.FireTime;
import io.flinkplatform.engine.schedule.Schedule;
import io.flinkplatform.engine.schedule.ScheduleSpec;
import io.flinkplatform.engine.storage.ResourceInfo;
import io.flinkplatform.spi.Role;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The {@link PlatformClient}: a facade that hands each call to the component owning it
 * (deployments, run commands and queries, reruns, limits, schedules, backfills, explanations) and
 * wakes admission after a schedule or backfill change. Every call is one short transaction.
 */
public final class ClientImpl implements PlatformClient {
  private final Deployments deployments;
  private final RunCommands commands;
  private final RerunCommands reruns;
  private final RunQueries queries;
  private final LimitSettings limits;
  private final Schedules schedules;
  private final Backfills backfills;
  private final Explainer explainer;
  private final Signals signals;
  private final Access access;
  private final WorkspaceAdmin admin;
  private final Caller caller;
  private final Reads reads;
  private final ResourceLibrary resources;
  private final io.flinkplatform.engine.internal.alert.AlertBook alerts;

  /**
   * @param signals wakes the schedule loop and admission after a change they act on
   * @param access checks every call against the caller's role
   * @param resources the workspace's uploaded resources
   * @param caller who calls, and in which workspace
   * @param reads workflows, run search, instances and the overview
   * @param alerts the workspaces' alert channels, rules, silences and history
   */
  public ClientImpl(
      Deployments deployments,
      RunCommands commands,
      RerunCommands reruns,
      RunQueries queries,
      LimitSettings limits,
      Schedules schedules,
      Backfills backfills,
      Explainer explainer,
      Signals signals,
      Access access,
      WorkspaceAdmin admin,
      ResourceLibrary resources,
      Caller caller,
      Reads reads,
      io.flinkplatform.engine.internal.alert.AlertBook alerts) {
    this.alerts = alerts;
    this.admin = admin;
    this.reads = reads;
    this.resources = resources;
    this.deployments = deployments;
    this.commands = commands;
    this.reruns = reruns;
    this.queries = queries;
    this.limits = limits;
    this.schedules = schedules;
    this.backfills = backfills;
    this.explainer = explainer;
    this.signals = signals;
    this.access = access;
    this.caller = caller;
  }

  /** The same client for another caller. */
  public ClientImpl as(Caller other) {
    return new ClientImpl(
        deployments,
        commands,
        reruns,
        queries,
        limits,
        schedules,
        backfills,
        explainer,
        signals,
        access,
        admin,
        resources,
        other,
        reads,
        alerts);
  }

  /** Checks that the caller may do {@code action} and returns the caller. */
  private Caller may(Action action) {
    access.require(caller, action);
    return caller;
  }

  @Override
  public List<String> validate(Workflow workflow) {
    return deployments.validate(may(Action.VALIDATE), workflow);
  }

  @Override
  public DeployedWorkflow deploy(Workflow workflow) {
    return deployments.deploy(may(Action.DEPLOY), workflow);
  }

  @Override
  public Optional<DeployedWorkflow> workflow(String name) {
    return deployments.find(may(Action.READ), name, null);
  }

  @Override
  public Optional<DeployedWorkflow> workflow(String name, int version) {
    return deployments.find(may(Action.READ), name, version);
  }

  @Override
  public long trigger(TriggerRequest request) {
    return commands
        .triggerAll(may(Action.TRIGGER), List.of(requireNonNull(request, "request is null")))
        .get(0);
  }

  @Override
  public List<Long> triggerAll(List<TriggerRequest> requests) {
    return commands.triggerAll(may(Action.TRIGGER), requests);
  }

  @Override
  public boolean kill(long runId) {
    return commands.kill(may(Action.KILL), runId);
  }

  @Override
  public Optional<WorkflowRun> run(long runId) {
    return queries.run(may(Action.READ), runId);
  }

  @Override
  public List<WorkflowRun> runs(String workflowName, int limit) {
    return queries.runs(may(Action.READ), workflowName, limit);
  }

  @Override
  public RunPage runs(RunQuery query) {
    return reads.search().runs(may(Action.READ), query);
  }

  @Override
  public List<WorkflowSummary> workflows() {
    return reads.workflows().workflows(may(Action.READ));
  }

  @Override
  public List<WorkflowVersion> versions(String workflowName) {
    return reads.workflows().versions(may(Action.READ), workflowName);
  }

  @Override
  public VersionDiff diff(String workflowName, int from, int to) {
    return reads.workflows().diff(may(Action.READ), workflowName, from, to);
  }

  @Override
  public List<InstanceInfo> instances() {
    may(Action.READ);
    return reads.instances().instances();
  }

  @Override
  public Overview overview() {
    return reads.overviews().overview(may(Action.READ));
  }

  @Override
  public List<TaskAttempt> attempts(long runId) {
    return queries.attempts(may(Action.READ), runId);
  }

  @Override
  public WorkflowRun awaitRun(long runId, Duration timeout) {
    return queries.awaitRun(may(Action.READ), runId, timeout);
  }

  @Override
  public String log(TaskAttempt attempt) {
    return queries.log(may(Action.READ), attempt);
  }

  @Override
  public LogChunk log(long attemptId, LogRange range) {
    return queries.log(may(Action.READ), attemptId, range);
  }

  @Override
  public String mermaid(long runId) {
    return queries.mermaid(may(Action.READ), runId);
  }

  @Override
  public Schedule saveSchedule(ScheduleSpec spec) {
    Schedule saved = schedules.save(may(Action.SCHEDULE_SAVE), spec);
    signals.scheduleChanged();
    return saved;
  }

  @Override
  public Optional<Schedule> schedule(String name) {
    return schedules.get(may(Action.READ), name);
  }

  @Override
  public List<Schedule> schedules() {
    return schedules.all(may(Action.READ));
  }

  @Override
  public void pauseSchedule(String name) {
    schedules.setPaused(may(Action.SCHEDULE_PAUSE), name, true);
  }

  @Override
  public void resumeSchedule(String name) {
    schedules.setPaused(may(Action.SCHEDULE_RESUME), name, false);
    signals.scheduleChanged();
  }

  @Override
  public boolean deleteSchedule(String name) {
    return schedules.delete(may(Action.SCHEDULE_DELETE), name);
  }

  @Override
  public List<FireTime> previewSchedule(ScheduleSpec spec, Instant from, int count) {
    return schedules.preview(may(Action.READ), spec, requireNonNull(from, "from is null"), count);
  }

  @Override
  public long backfill(BackfillRequest request) {
    long id = backfills.create(may(Action.BACKFILL), request);
    signals.scheduleChanged();
    return id;
  }

  @Override
  public Backfill backfillStatus(long backfillId) {
    return backfills.status(may(Action.READ), backfillId);
  }

  @Override
  public List<Backfill> backfills() {
    return backfills.list(may(Action.READ), Backfill.LISTED);
  }

  @Override
  public boolean cancelBackfill(long backfillId) {
    Caller c = may(Action.BACKFILL_CANCEL);
    Optional<List<Long>> runs = backfills.cancel(c, backfillId);
    // the cancel's audit row records the kills: one row per client call
    runs.ifPresent(ids -> ids.forEach(id -> commands.kill(c, id, false)));
    return runs.isPresent();
  }

  @Override
  public RerunResult rerun(RerunRequest request) {
    return reruns.rerun(may(Action.RERUN), request);
  }

  @Override
  public RerunResult markTask(long runId, String taskId, TaskState state) {
    return reruns.markTask(may(Action.MARK), runId, taskId, state);
  }

  @Override
  public void setPool(String name, int slots) {
    limits.setPool(may(Action.LIMIT_SET), name, slots);
  }

  @Override
  public void setTaskTypeLimit(String taskType, int slots) {
    limits.setTaskTypeLimit(may(Action.TASK_TYPE_LIMIT_SET), taskType, slots);
  }

  @Override
  public boolean removeLimit(Limit.Kind kind, String name) {
    return limits.remove(
        may(kind == Limit.Kind.TASK_TYPE ? Action.TASK_TYPE_LIMIT_SET : Action.LIMIT_REMOVE),
        kind,
        name);
  }

  @Override
  public List<Limit> limits() {
    return limits.all(may(Action.READ));
  }

  @Override
  public Explanation explain(long runId) {
    return explainer.explain(may(Action.READ), runId);
  }

  @Override
  public List<Explanation.Reason> explainSchedule(String name) {
    requireNonNull(name, "name is null");
    return explainer.explainSchedule(may(Action.READ), name);
  }

  @Override
  public String workspace() {
    return caller.workspace();
  }

  @Override
  public List<Member> members() {
    return admin.members(may(Action.MEMBERS_READ));
  }

  @Override
  public void setMember(String principal, Role role) {
    admin.setMember(may(Action.MEMBER_SET), principal, role);
  }

  @Override
  public boolean removeMember(String principal) {
    return admin.removeMember(may(Action.MEMBER_REMOVE), principal);
  }

  @Override
  public void grant(String to, String kind, String name) {
    admin.grant(may(Action.GRANT), to, kind, name);
  }

  @Override
  public boolean revoke(String to, String kind, String name) {
    return admin.revoke(may(Action.REVOKE), to, kind, name);
  }

  @Override
  public List<Grant> grants() {
    return admin.grants(may(Action.READ));
  }

  @Override
  public WorkspaceCaps caps() {
    return admin.caps(may(Action.READ));
  }

  @Override
  public void setCaps(WorkspaceCaps caps) {
    admin.setCaps(may(Action.CAPS_SET), caps);
  }

  @Override
  public List<AuditEntry> audit(AuditQuery query) {
    return admin.audit(Optional.of(may(Action.AUDIT_READ).workspace()), query);
  }

  @Override
  public ResourceInfo putResource(String name, InputStream content) {
    return resources.put(may(Action.RESOURCE_PUT), name, content);
  }

  @Override
  public List<ResourceInfo> resources() {
    return resources.all(may(Action.READ));
  }

  @Override
  public List<ResourceInfo> resourceVersions(String name) {
    return resources.versions(may(Action.READ), name);
  }

  @Override
  public InputStream readResource(String name, int version) {
    return resources.read(may(Action.READ), name, version);
  }

  @Override
  public boolean deleteResource(String name) {
    return resources.delete(may(Action.RESOURCE_DELETE), name);
  }

  @Override
  public io.flinkplatform.engine.alert.Alerts alerts() {
    return alerts.of(caller);
  }
}
