package io.flinkplatform.engine.internal.store;

import io.flinkplatform.engine.run.Limit;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.schedule.Backfill;
import java.util.Collection;
import java.util.List;
import org.apache.ibatis.annotations.Param;

/**
 * Every statement the engine runs; the SQL is in StoreMapper.xml beside this file. It is one
 * interface of about 300 lines because MyBatis binds one XML mapper to one interface, and the
 * engine's transactions (a claim, a completion batch) span every table: one mapper keeps each
 * transaction on one session and the SQL of a table in one file.
 */
public interface StoreMapper {

  // --- the installation

  /** Writes the installation's id unless the one row exists already. */
  int insertInstallation(@Param("id") String id, @Param("now") long now);

  String selectInstallationId();

  // --- definitions

  Integer maxFlowVersion(@Param("workspace") String workspace, @Param("name") String name);

  void insertFlow(FlowRow row);

  void insertJobs(@Param("rows") List<JobRow> rows);

  FlowRow selectFlow(
      @Param("workspace") String workspace,
      @Param("name") String name,
      @Param("version") Integer version);

  FlowRow selectFlowById(@Param("id") long id);

  // --- runs

  /** The workspace of the attempt's run; null if there is no such attempt. */
  String selectWorkspaceOfAttempt(@Param("id") long id);

  /** Revokes every token of a user that is not revoked yet; returns how many. */
  int revokeTokensOfUser(@Param("user") String user, @Param("now") long now);

  /** Ends the user's console sessions (a new password or a disabled user). */
  int endConsoleSessionsOf(@Param("user") String user);

  int setRunKilledBy(@Param("id") long id, @Param("actor") String actor);

  /** Records who asked to kill the run's attempts that are not done. */
  int setAttemptsKilledBy(@Param("runId") long runId, @Param("actor") String actor);

  int setRunRerunBy(@Param("id") long id, @Param("actor") String actor);

  int setAttemptsRerunBy(
      @Param("runId") long runId,
      @Param("tasks") Collection<String> tasks,
      @Param("now") long now,
      @Param("actor") String actor);

  void insertRuns(List<RunRow> rows);

  void insertAttempts(@Param("rows") List<AttemptRow> rows);

  RunRow selectRun(@Param("id") long id);

  List<RunRow> selectRunsOfFlow(
      @Param("workspace") String workspace, @Param("name") String name, @Param("limit") int limit);

  List<RunRow> lockRuns(@Param("ids") Collection<Long> ids);

  List<RunRow> selectRuns(@Param("ids") Collection<Long> ids);

  int setRunState(@Param("id") long id, @Param("from") RunState from, @Param("to") RunState to);

  // --- attempts

  /**
   * Locks ({@code FOR UPDATE SKIP LOCKED}) and reads up to {@code limit} READY attempts due by
   * {@code now}, in claim order (priority, then age); from the index's front when {@code from} is
   * null, else from behind the attempt it names.
   */
  List<AttemptRow> selectClaimable(
      @Param("now") long now,
      @Param("limit") int limit,
      @Param("types") Collection<String> types,
      @Param("labels") Collection<String> labels,
      @Param("full") Limits.Full full,
      @Param("from") ClaimFrom from);

  /** Claims the attempts for {@code owner}, with a lease from the database's clock now. */
  int markClaimed(
      @Param("ids") List<Long> ids,
      @Param("owner") String owner,
      @Param("leaseMillis") long leaseMillis,
      @Param("now") long now);

  List<AttemptRow> selectAttempts(@Param("ids") Collection<Long> ids);

  /** Who holds the given attempts now: id, owner, epoch and state only. */
  List<AttemptRow> selectHolders(@Param("ids") Collection<Long> ids);

  List<AttemptRow> selectAttemptsOfRun(@Param("runId") long runId);

  List<AttemptRow> selectTaskStates(
      @Param("runId") long runId, @Param("taskIds") Collection<String> taskIds);

  List<AttemptRow> lockAttempts(@Param("ids") Collection<Long> ids);

  int finishAttempts(@Param("rows") List<AttemptRow> rows, @Param("now") long now);

  /**
   * Ends the RUNNING attempts of {@code ids} still on {@code epoch} in {@code state}, without
   * outputs, message, log or branches.
   */
  int finishAttemptsAlike(
      @Param("state") TaskState state,
      @Param("epoch") long epoch,
      @Param("ids") Collection<Long> ids,
      @Param("now") long now);

  List<AttemptRow> selectStatesOfRuns(
      @Param("runIds") Collection<Long> runIds, @Param("taskIds") Collection<String> taskIds);

  int resolveWaiting(@Param("rows") List<AttemptRow> rows, @Param("now") long now);

  int readyWaiting(@Param("ids") List<Long> ids, @Param("now") long now);

  /** Stores the fan-in counters ({@code openEdges}) of the given attempts that are WAITING. */
  int setOpenEdges(@Param("rows") List<AttemptRow> rows);

  /** Forgets the fan-in counters of the run's WAITING attempts (they become unknown). */
  int forgetOpenEdges(@Param("runId") long runId);

  /**
   * At most {@code limit} RUNNING runs with a WAITING attempt that keeps a fan-in counter and no
   * READY or RUNNING attempt: nothing is left that could lower the counter (StrandedRuns).
   */
  List<Long> selectStrandedRuns(@Param("limit") int limit);

  List<Long> selectUnfinishedRuns(@Param("runIds") Collection<Long> runIds);

  /** Ends the runs of {@code ids} in {@code state} (the caller holds their locks). */
  int finishRuns(
      @Param("state") RunState state, @Param("ids") Collection<Long> ids, @Param("now") long now);

  /**
   * Ends the given attempts KILLED with {@code message}, each only if it has not started (still
   * WAITING or READY): a claim that took one meanwhile is not overwritten.
   */
  int killUnstarted(
      @Param("ids") Collection<Long> ids, @Param("message") String message, @Param("now") long now);

  /** Fails the WAITING and READY attempts of a run that cannot go on, with {@code message}. */
  int failUnstarted(
      @Param("runId") long runId, @Param("message") String message, @Param("now") long now);

  int setExternalRef(@Param("id") long id, @Param("epoch") long epoch, @Param("ref") String ref);

  /** Records that running attempts released the tasks behind their RUNNING edges. */
  int markReleased(@Param("ids") Collection<Long> ids, @Param("now") long now);

  int handBack(@Param("id") long id, @Param("epoch") long epoch, @Param("now") long now);

  /** Those of {@code ids} that are RUNNING, claimed by {@code owner} at {@code startedAt}. */
  List<AttemptRow> selectClaimedAt(
      @Param("owner") String owner,
      @Param("startedAt") long startedAt,
      @Param("ids") Collection<Long> ids);

  // --- leases and workers

  /** Renews {@code owner}'s leases: they end {@code leaseMillis} after the database's clock now. */
  int renewLeases(
      @Param("owner") String owner,
      @Param("ids") Collection<Long> ids,
      @Param("leaseMillis") long leaseMillis);

  /** The database server's clock, epoch milliseconds (UTC, so no time zone is involved). */
  long selectDatabaseMillis();

  /** RUNNING attempts whose lease lapsed by the database's clock, locked (skipping locked ones). */
  List<Expired> selectExpired(@Param("limit") int limit);

  /** Re-queues an expired attempt if its lease still lapsed by the database's clock. */
  int reapExpired(@Param("id") long id, @Param("epoch") long epoch, @Param("now") long now);

  /** Those of {@code ids} that {@code owner} runs for runs being killed. */
  List<Long> selectKillRequested(@Param("owner") String owner, @Param("ids") Collection<Long> ids);

  int upsertWorker(WorkerRow row);

  int heartbeatWorker(
      @Param("name") String name, @Param("now") long now, @Param("leaseMillis") long leaseMillis);

  int stopWorker(@Param("name") String name, @Param("now") long now);

  // --- schedules

  void insertSchedule(ScheduleRow row);

  int updateSchedule(ScheduleRow row);

  /** Schedules of one workspace (null: all), or the one of that name there. */
  List<ScheduleRow> selectSchedules(
      @Param("workspace") String workspace, @Param("name") String name);

  ScheduleRow lockSchedule(
      @Param("workspace") String workspace, @Param("name") String name, @Param("id") Long id);

  int deleteSchedule(@Param("id") long id);

  int setSchedulePaused(
      @Param("id") long id, @Param("paused") boolean paused, @Param("now") long now);

  List<ScheduleRow> lockDueSchedules(@Param("now") long now, @Param("limit") int limit);

  int advanceSchedule(
      @Param("id") long id,
      @Param("expected") long expected,
      @Param("next") Long next,
      @Param("last") Long last,
      @Param("now") long now,
      @Param("skip") String skip);

  Long nextFireAt();

  /** Locks the held runs of a (deleted) schedule, in index order; returns their ids. */
  List<Long> lockCreatedRunsOfSchedule(@Param("scheduleId") long scheduleId);

  /** The zones of the schedules of a workflow (one per schedule). */
  List<String> selectScheduleZones(
      @Param("workspace") String workspace, @Param("flowName") String flowName);

  /** Sets a due schedule aside until {@code until}, if its next_fire_at is still expected. */
  int quarantineSchedule(
      @Param("id") long id,
      @Param("expected") long expected,
      @Param("reason") String reason,
      @Param("until") long until,
      @Param("now") long now);

  // --- admission

  List<Long> selectActiveRunIds(
      @Param("scheduleId") Long scheduleId,
      @Param("backfillId") Long backfillId,
      @Param("states") Collection<RunState> states);

  List<ScopeRow> selectWaitingScopes();

  List<RunRow> selectCreatedRuns(
      @Param("scheduleId") Long scheduleId,
      @Param("backfillId") Long backfillId,
      @Param("workspace") String workspace,
      @Param("flowName") String flowName,
      @Param("limit") int limit);

  int countActiveRunsOfFlow(
      @Param("workspace") String workspace, @Param("flowName") String flowName);

  int admitRuns(@Param("ids") Collection<Long> ids, @Param("now") long now);

  // --- backfills

  void insertBackfill(BackfillRow row);

  BackfillRow selectBackfill(@Param("id") long id, @Param("lock") boolean lock);

  List<BackfillRow> selectBackfills(
      @Param("workspace") String workspace, @Param("limit") int limit);

  int setBackfillState(
      @Param("id") long id, @Param("state") Backfill.State state, @Param("endedAt") Long endedAt);

  List<StateCount> countRunsOfBackfill(@Param("id") long id);

  int setRunningMessage(
      @Param("id") long id, @Param("epoch") long epoch, @Param("message") String message);

  /** Instances whose lease holds, by the database's clock. */
  List<WorkerRow> selectLiveWorkers();

  int countReadyAhead(
      @Param("negPriority") int negPriority,
      @Param("id") long id,
      @Param("now") long now,
      @Param("types") Collection<String> types);

  Boolean selectSchedulePaused(@Param("id") long id);

  ScheduleRow selectScheduleExplain(
      @Param("workspace") String workspace, @Param("name") String name);

  int ageReady(@Param("now") long now, @Param("step") long step);

  // --- concurrency limits

  List<PoolRow> selectPools();

  PoolRow lockPool(@Param("kind") Limit.Kind kind, @Param("name") String name);

  List<UsageRow> selectRunningUsage();

  List<Long> selectFlowIds(@Param("refs") Collection<io.flinkplatform.spi.Workspaces.Ref> refs);

  int upsertPool(
      @Param("kind") Limit.Kind kind,
      @Param("name") String name,
      @Param("slots") int slots,
      @Param("now") long now);

  int deletePool(@Param("kind") Limit.Kind kind, @Param("name") String name);

  // --- logic tasks (runs by logical date, child runs)

  RunRow selectRunInfo(@Param("id") long id);

  List<RunRow> selectRunsInWindow(
      @Param("workspace") String workspace,
      @Param("name") String name,
      @Param("from") long from,
      @Param("to") long to,
      @Param("limit") int limit);

  List<AttemptRow> selectTaskOfRuns(
      @Param("runIds") Collection<Long> runIds, @Param("taskId") String taskId);

  RunRow selectRunByParent(@Param("parentAttemptId") long parentAttemptId);

  void insertChildRun(RunRow row);

  // --- reruns and manual marks

  void insertRerunAttempts(@Param("rows") List<AttemptRow> rows);

  int reopenRun(@Param("id") long id, @Param("from") RunState from);

  int markUnstarted(
      @Param("id") long id,
      @Param("state") TaskState state,
      @Param("message") String message,
      @Param("now") long now);

  // --- firing schedules in batches

  /** The CREATED, RUNNING and KILLING runs of the given schedules (id, schedule_id, state). */
  List<RunRow> selectOpenRunsOfSchedules(@Param("ids") Collection<Long> scheduleIds);

  /** Moves many due schedules at once; each only if its next_fire_at is still the expected one. */
  int advanceSchedules(@Param("rows") List<ScheduleMove> rows, @Param("now") long now);

  // --- task logs and housekeeping (retention)

  /** Stores a running attempt's log pointer, if the claim still holds. */
  int storeLogPath(
      @Param("id") long id, @Param("epoch") long epoch, @Param("logPath") String logPath);

  void insertHousekeeping(@Param("name") String name);

  /** Takes the housekeeping lease if free, lapsed or already ours; 1 if taken. */
  int takeHousekeeping(
      @Param("name") String name,
      @Param("owner") String owner,
      @Param("leaseMillis") long leaseMillis,
      @Param("now") long now);

  /** Locks finished runs that ended before {@code cutoff} and may be deleted. */
  List<Long> lockExpiredRuns(@Param("cutoff") long cutoff, @Param("limit") int limit);

  int deleteAttemptsOfRuns(@Param("ids") Collection<Long> runIds);

  int deleteFinishedRuns(@Param("ids") Collection<Long> runIds);

  List<Long> selectExistingRuns(@Param("ids") Collection<Long> runIds);

  // --- workspaces, members, grants and the audit trail (docs/security.md)

  void insertAudit(AuditRow row);

  List<AuditRow> selectAudit(
      @Param("workspace") String workspace,
      @Param("actor") String actor,
      @Param("action") String action,
      @Param("from") Long from,
      @Param("to") Long to,
      @Param("beforeId") Long beforeId,
      @Param("limit") int limit);

  WorkspaceRow selectWorkspace(@Param("name") String name);

  /** Locks the workspace row, so checks of its caps in concurrent transactions take turns. */
  String lockWorkspace(@Param("name") String name);

  int countActiveRunsOfWorkspace(@Param("workspace") String workspace);

  int countActiveOrTriggeredRunsOfWorkspace(@Param("workspace") String workspace);

  List<WorkspaceRow> selectWorkspaces();

  int insertWorkspace(WorkspaceRow row);

  int updateWorkspaceCaps(WorkspaceRow row);

  /** 1 for an enabled platform administrator, 0 for another user, null for no such user. */
  Integer selectPlatformAdmin(@Param("name") String name);

  String selectMemberRole(
      @Param("workspace") String workspace, @Param("principal") String principal);

  List<MemberRow> selectMembers(@Param("workspace") String workspace);

  int upsertMember(MemberRow row);

  int deleteMember(@Param("workspace") String workspace, @Param("principal") String principal);

  /**
   * 1 if {@code workspace} holds a grant of that thing (or of all of its kind and owner), else 0.
   */
  int countGrant(
      @Param("workspace") String workspace,
      @Param("kind") String kind,
      @Param("owner") String owner,
      @Param("name") String name);

  List<GrantRow> selectGrants(@Param("workspace") String workspace, @Param("owner") String owner);

  int insertGrant(GrantRow row);

  int deleteGrant(
      @Param("workspace") String workspace,
      @Param("kind") String kind,
      @Param("owner") String owner,
      @Param("name") String name);

  // --- the built-in users and API tokens (internal.identity)

  UserRow selectUser(@Param("name") String name);

  List<UserRow> selectUsers();

  int insertUser(UserRow row);

  int updateUserPassword(
      @Param("name") String name, @Param("hash") String hash, @Param("now") long now);

  int updateUserDisabled(
      @Param("name") String name, @Param("disabled") boolean disabled, @Param("now") long now);

  int updateUserPlatformAdmin(
      @Param("name") String name, @Param("admin") boolean admin, @Param("now") long now);

  int insertToken(TokenRow row);

  TokenRow selectToken(@Param("id") long id);

  List<TokenRow> selectTokens(@Param("userName") String userName);

  int revokeToken(@Param("id") long id, @Param("now") long now);

  /** Records a use unless one was recorded less than {@code every} milliseconds before. */
  int touchToken(@Param("id") long id, @Param("now") long now, @Param("every") long every);

  // --- reads for an operations console (internal.query: WorkflowReads, RunSearch, InstanceReads,
  // Overviews)

  /** The latest version of every workflow of the workspace, by name. */
  List<VersionRow> selectLatestVersions(@Param("workspace") String workspace);

  /** Every version of one workflow, newest first. */
  List<VersionRow> selectVersions(@Param("workspace") String workspace, @Param("name") String name);

  /** The highest run id of every workflow of the workspace (read them with selectRuns). */
  List<Long> selectLastRunIds(@Param("workspace") String workspace);

  /** One page of the workspace's runs, newest first; a null filter is no filter. */
  List<RunRow> searchRuns(
      @Param("workspace") String workspace,
      @Param("flowName") String flowName,
      @Param("states") Collection<RunState> states,
      @Param("logicalFrom") Long logicalFrom,
      @Param("logicalTo") Long logicalTo,
      @Param("triggeredBy") String triggeredBy,
      @Param("createdFrom") Long createdFrom,
      @Param("createdTo") Long createdTo,
      @Param("beforeId") Long beforeId,
      @Param("limit") int limit);

  /** Workers whose lease ended after {@code since} (database time) or still holds, by name. */
  List<WorkerRow> selectRecentWorkers(@Param("since") long since);

  /** RUNNING attempts per owner (field {@code owner}). */
  List<GroupCount> countRunningByOwner();

  /**
   * The highest run id created before {@code createdAt}, found from the newest run backwards; null
   * when there is none. Runs after it were created at or after that time, give or take the skew
   * between instances' clocks.
   */
  Long selectLastRunIdBefore(@Param("createdAt") long createdAt);

  /**
   * The workspace's runs with an id above {@code afterId} created at or after {@code since},
   * counted by hour since then (field {@code bucket}) and state.
   */
  List<GroupCount> countRunsByHour(
      @Param("workspace") String workspace,
      @Param("afterId") long afterId,
      @Param("since") long since);

  /** The workspace's runs in one of {@code states}, newest first. */
  List<RunRow> selectRunsInStates(
      @Param("workspace") String workspace,
      @Param("states") Collection<RunState> states,
      @Param("limit") int limit);

  int countRunsInStates(
      @Param("workspace") String workspace, @Param("states") Collection<RunState> states);

  /** The workspace's runs that ended FAILED at or after {@code since}, latest end first. */
  List<RunRow> selectFailedSince(
      @Param("workspace") String workspace, @Param("since") long since, @Param("limit") int limit);

  int countFailedSince(@Param("workspace") String workspace, @Param("since") long since);

  /** The workspace's READY attempts by {@code neg_priority} (field {@code bucket}). */
  List<GroupCount> countReadyByPriority(@Param("workspace") String workspace);

  // --- metrics (internal.metrics): the queue depth gauge

  /**
   * Every workspace's READY attempts due by {@code now}, by {@code neg_priority} ({@code bucket}).
   */
  List<GroupCount> countReadyDue(@Param("now") long now);

  // --- uploaded resources (internal.resource)

  /** The highest version of a resource, or null if it has none. */
  Integer maxResourceVersion(@Param("workspace") String workspace, @Param("name") String name);

  /** One version of a resource; the latest when {@code version} is null. */
  ResourceRow selectResource(
      @Param("workspace") String workspace,
      @Param("name") String name,
      @Param("version") Integer version);

  /** The latest version of every resource of the workspace, by name. */
  List<ResourceRow> selectResources(@Param("workspace") String workspace);

  /** Every version of a resource, newest first. */
  List<ResourceRow> selectResourceVersions(
      @Param("workspace") String workspace, @Param("name") String name);

  int insertResource(ResourceRow row);

  /** Deletes every version of a resource; returns how many. */
  int deleteResource(@Param("workspace") String workspace, @Param("name") String name);

  /**
   * Tasks of every deployed workflow version whose options hold {@code text} (a coarse filter: the
   * caller reads the options to find real references), by workspace, workflow, version and task.
   */
  List<TaskOptionsRow> selectTasksMentioning(@Param("text") String text);

  // --- alerts: rules and raising (AlertWriter, AlertRaiser)

  /** The enabled rules of the given kinds, of every workspace. */
  java.util.List<AlertRuleRow> selectEnabledAlertRules(
      @Param("kinds") java.util.Collection<String> kinds);

  /** Inserts the alert unless its (rule_id, dedup_key) exists; 1 when inserted (id set), else 0. */
  int insertAlertIgnore(AlertRow row);

  /** One PENDING delivery per channel of a new alert; duplicates of (alert, channel) ignored. */
  int insertAlertDeliveries(
      @Param("alertId") long alertId,
      @Param("workspace") String workspace,
      @Param("channels") java.util.Collection<String> channels,
      @Param("nextAt") long nextAt);

  // --- alerts: book (AlertBook: channels, rules, silences, history)

  java.util.List<AlertChannelRow> selectAlertChannels(@Param("workspace") String workspace);

  /** The channel, locked FOR UPDATE when {@code lock} (a rule save and a delete take turns). */
  AlertChannelRow selectAlertChannel(
      @Param("workspace") String workspace,
      @Param("name") String name,
      @Param("lock") boolean lock);

  /** Inserts the channel, or replaces the type and options of the one of that name. */
  int upsertAlertChannel(AlertChannelRow row);

  int deleteAlertChannel(@Param("workspace") String workspace, @Param("name") String name);

  java.util.List<AlertRuleRow> selectAlertRules(@Param("workspace") String workspace);

  AlertRuleRow selectAlertRule(@Param("workspace") String workspace, @Param("name") String name);

  /** Inserts the rule, or replaces the kind, spec and enabled flag of the one of that name. */
  int upsertAlertRule(AlertRuleRow row);

  int deleteAlertRule(@Param("workspace") String workspace, @Param("name") String name);

  int insertAlertSilence(AlertSilenceRow row);

  AlertSilenceRow selectAlertSilence(@Param("workspace") String workspace, @Param("id") long id);

  /** The silences of the workspace that end (or ended) at {@code since} or later, newest first. */
  java.util.List<AlertSilenceRow> selectAlertSilences(
      @Param("workspace") String workspace, @Param("since") long since);

  /** Ends a silence still active at {@code now}; 1 if it was. */
  int endAlertSilence(
      @Param("workspace") String workspace,
      @Param("id") long id,
      @Param("endedBy") String endedBy,
      @Param("now") long now);

  /**
   * A page of the workspace's alerts, newest first; {@code state} keeps alerts with a delivery in
   * that state; every filter may be null.
   */
  java.util.List<AlertRow> selectAlerts(
      @Param("workspace") String workspace,
      @Param("rule") String rule,
      @Param("kind") String kind,
      @Param("state") String state,
      @Param("workflow") String workflow,
      @Param("from") Long from,
      @Param("to") Long to,
      @Param("before") Long before,
      @Param("limit") int limit);

  AlertRow selectAlert(@Param("workspace") String workspace, @Param("id") long id);

  /** The deliveries of the given alerts, by alert and channel. */
  java.util.List<AlertDeliveryRow> selectAlertDeliveriesOf(
      @Param("alertIds") java.util.Collection<Long> alertIds);

  /** The tries of the given deliveries, by delivery and attempt. */
  java.util.List<AlertAttemptRow> selectAlertAttemptsOf(
      @Param("deliveryIds") java.util.Collection<Long> deliveryIds);

  // --- alerts: delivery (Outbox, DeliveryLoop)

  /**
   * States of deliveries due at {@code now} (PENDING unclaimed or with a lease lapsed by the
   * database's clock, HELD); no lock.
   */
  java.util.List<String> selectDueAlertDeliveryStates(
      @Param("now") long now, @Param("limit") int limit);

  /** Due PENDING deliveries, locked; rows another transaction holds are skipped. */
  java.util.List<AlertDeliveryRow> lockDueAlertDeliveries(
      @Param("now") long now, @Param("limit") int limit);

  /** Due HELD deliveries, locked, oldest first; rows another transaction holds are skipped. */
  java.util.List<AlertDeliveryRow> lockDueHeldAlertDeliveries(
      @Param("now") long now, @Param("limit") int limit);

  AlertRow selectAlertById(@Param("id") long id);

  /** The alert of {@code (ruleId, dedupKey)}, or null. */
  AlertRow selectAlertByDedup(@Param("ruleId") long ruleId, @Param("dedupKey") String dedupKey);

  /** The stored JSON of a rule, or null when it was deleted. */
  String selectAlertRuleSpec(@Param("id") long id);

  /** Silences of the workspace active at {@code now}: (rule_name, workflow) pairs. */
  java.util.List<java.util.Map<String, Object>> selectActiveAlertSilences(
      @Param("workspace") String workspace, @Param("now") long now);

  /** How many other deliveries of the alert were ever claimed (the alert passed its window). */
  int countClaimedSiblingDeliveries(@Param("alertId") long alertId, @Param("id") long id);

  int insertAlertWindowIgnore(@Param("ruleId") long ruleId, @Param("groupKey") String groupKey);

  /** The window's end, locked FOR UPDATE (the row must exist). */
  long lockAlertWindow(@Param("ruleId") long ruleId, @Param("groupKey") String groupKey);

  int setAlertWindow(
      @Param("ruleId") long ruleId,
      @Param("groupKey") String groupKey,
      @Param("windowEnd") long windowEnd);

  /** A locked due delivery ends without a send: SILENCED, or FAILED with {@code error}. */
  int endAlertDeliveryUnsent(
      @Param("id") long id, @Param("state") String state, @Param("error") String error);

  int holdAlertDelivery(@Param("id") long id, @Param("nextAt") long nextAt);

  /** HELD deliveries back to PENDING, due at {@code now}. */
  int releaseAlertDeliveries(@Param("ids") java.util.Collection<Long> ids, @Param("now") long now);

  int markAlertDeliveriesDigested(
      @Param("ids") java.util.Collection<Long> ids, @Param("digestId") long digestId);

  /**
   * The claim of a locked due delivery: epoch + 1, attempts + 1, owner, and a lease on the
   * database's clock.
   */
  int claimAlertDelivery(
      @Param("id") long id, @Param("owner") String owner, @Param("leaseMillis") long leaseMillis);

  int insertAlertAttempt(
      @Param("deliveryId") long deliveryId,
      @Param("attempt") int attempt,
      @Param("owner") String owner,
      @Param("epoch") long epoch,
      @Param("now") long now);

  /**
   * The outcome of a send, only while {@code epoch} holds: DELIVERED, PENDING again (with {@code
   * nextAt}) or FAILED; owner and lease cleared. 0 when a later claim took the delivery over.
   */
  int markAlertDelivery(
      @Param("id") long id,
      @Param("epoch") long epoch,
      @Param("state") String state,
      @Param("nextAt") long nextAt,
      @Param("deliveredAt") Long deliveredAt,
      @Param("error") String error);

  int endAlertAttempt(
      @Param("deliveryId") long deliveryId,
      @Param("epoch") long epoch,
      @Param("now") long now,
      @Param("error") String error);

  // --- alerts: raising (AlertRaiser, the alert-raise branch)

  /** The workers of these names (the instances the reaper found lost), any state. */
  java.util.List<WorkerRow> selectWorkersByName(@Param("names") java.util.Collection<String> names);

  // --- alerts: overdue and deadline scan (OverdueScan; part C2 alert-sla)

  /**
   * RUNNING runs of {@code workspace} started at or before {@code startedBefore} whose workflow is
   * LIKE {@code workflowLike} (null: any), that rule {@code ruleId} has not raised {@code
   * overdue:<run>} for yet; oldest first, at most {@code limit}.
   */
  List<AlertScanRow> selectOverdueRuns(
      @Param("ruleId") long ruleId,
      @Param("workspace") String workspace,
      @Param("workflowLike") String workflowLike,
      @Param("startedBefore") long startedBefore,
      @Param("limit") int limit);

  /**
   * RUNNING attempts of {@code workspace}'s runs started at or before {@code startedBefore}, by
   * workflow and task patterns (LIKE, null: any) and label (null: any), that rule {@code ruleId}
   * has not raised {@code overdue:<run>:<task>:<attempt>} for yet; at most {@code limit}.
   */
  List<AlertScanRow> selectOverdueAttempts(
      @Param("ruleId") long ruleId,
      @Param("workspace") String workspace,
      @Param("workflowLike") String workflowLike,
      @Param("taskLike") String taskLike,
      @Param("label") String label,
      @Param("startedBefore") long startedBefore,
      @Param("limit") int limit);

  /**
   * Runs of {@code workspace} created before {@code deadlineAt} and unfinished at it (still
   * unfinished, or ended after it), by workflow pattern, that rule {@code ruleId} has not raised
   * {@code deadline:<run>:<date>} for yet; at most {@code limit}.
   */
  List<AlertScanRow> selectDeadlineRuns(
      @Param("ruleId") long ruleId,
      @Param("workspace") String workspace,
      @Param("workflowLike") String workflowLike,
      @Param("deadlineAt") long deadlineAt,
      @Param("date") String date,
      @Param("limit") int limit);

  // --- alerts: task deadline (OverdueScan, TASK_DEADLINE; the task-deadline branch)

  /**
   * Attempts of {@code workspace}'s runs started before {@code deadlineAt} and unfinished at it
   * (not in a final state, or ended after it), by workflow and task patterns (LIKE, null: any) and
   * label (null: any), that rule {@code ruleId} has not raised {@code
   * deadline:<run>:<task>:<attempt>:<date>} for yet; at most {@code limit}.
   */
  List<AlertScanRow> selectDeadlineAttempts(
      @Param("ruleId") long ruleId,
      @Param("workspace") String workspace,
      @Param("workflowLike") String workflowLike,
      @Param("taskLike") String taskLike,
      @Param("label") String label,
      @Param("deadlineAt") long deadlineAt,
      @Param("date") String date,
      @Param("limit") int limit);

  // --- alerts: retention (Housekeeper)

  /** Alerts raised before {@code cutoff} with no delivery PENDING or HELD, locked, oldest first. */
  List<Long> lockExpiredAlerts(@Param("cutoff") long cutoff, @Param("limit") int limit);

  /** Deletes the alerts, their deliveries and the deliveries' tries. */
  int deleteAlertsWithDeliveries(@Param("ids") Collection<Long> ids);

  /** Deletes the rate-limit windows that ended before {@code cutoff}. */
  int deleteEndedAlertWindows(@Param("cutoff") long cutoff);
}
