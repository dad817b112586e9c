package io.flinkplatform.engine.internal;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import io.flinkplatform.engine.PlatformSettings;
import io.flinkplatform.engine.internal.access.Access;
import io.flinkplatform.engine.internal.access.Caller;
import io.flinkplatform.engine.internal.access.WorkspaceAdmin;
import io.flinkplatform.engine.internal.alert.AlertRaiser;
import io.flinkplatform.engine.internal.claim.LeaseClock;
import io.flinkplatform.engine.internal.command.LimitSettings;
import io.flinkplatform.engine.internal.command.RerunCommands;
import io.flinkplatform.engine.internal.command.RunCommands;
import io.flinkplatform.engine.internal.common.Events;
import io.flinkplatform.engine.internal.common.Signals;
import io.flinkplatform.engine.internal.definition.Definitions;
import io.flinkplatform.engine.internal.definition.Deployments;
import io.flinkplatform.engine.internal.definition.PluginRegistry;
import io.flinkplatform.engine.internal.definition.WorkflowReferences;
import io.flinkplatform.engine.internal.definition.WorkflowValidator;
import io.flinkplatform.engine.internal.housekeeping.Housekeeper;
import io.flinkplatform.engine.internal.lease.Heartbeat;
import io.flinkplatform.engine.internal.lease.LeaseWatchdog;
import io.flinkplatform.engine.internal.lease.Reaper;
import io.flinkplatform.engine.internal.metrics.Meters;
import io.flinkplatform.engine.internal.metrics.QueueDepth;
import io.flinkplatform.engine.internal.progress.Completer;
import io.flinkplatform.engine.internal.progress.Progress;
import io.flinkplatform.engine.internal.progress.StrandedRuns;
import io.flinkplatform.engine.internal.query.ClientImpl;
import io.flinkplatform.engine.internal.query.Explainer;
import io.flinkplatform.engine.internal.query.InstanceReads;
import io.flinkplatform.engine.internal.query.Overviews;
import io.flinkplatform.engine.internal.query.Reads;
import io.flinkplatform.engine.internal.query.RunQueries;
import io.flinkplatform.engine.internal.query.RunSearch;
import io.flinkplatform.engine.internal.query.RunWaiters;
import io.flinkplatform.engine.internal.query.WorkflowReads;
import io.flinkplatform.engine.internal.rerun.Reruns;
import io.flinkplatform.engine.internal.schedule.Admission;
import io.flinkplatform.engine.internal.schedule.Backfills;
import io.flinkplatform.engine.internal.schedule.PriorityAgeing;
import io.flinkplatform.engine.internal.schedule.ScheduleLoop;
import io.flinkplatform.engine.internal.schedule.Schedules;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.engine.internal.worker.Dispatcher;
import io.flinkplatform.engine.internal.worker.Executor;
import io.flinkplatform.engine.internal.worker.ExternalPoller;
import io.flinkplatform.engine.internal.worker.LocalLogStore;
import io.flinkplatform.engine.internal.worker.RunAccess;
import io.flinkplatform.spi.Actor;
import io.flinkplatform.spi.Workspaces;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every component of one instance, built in dependency order in {@link #build}: the one place the
 * engine is wired. Nothing refers to a component built after it; what flows back against that order
 * (a wake-up, a kill) goes through {@link Signals}, which the loops listen to.
 */
record Components(
    Store store,
    Events events,
    Signals signals,
    LeaseClock leaseClock,
    Pools pools,
    Definitions definitions,
    LocalLogStore logs,
    ClientImpl client,
    Completer completer,
    Executor executor,
    ExternalPoller poller,
    Dispatcher dispatcher,
    ScheduleLoop schedules,
    Admission admission,
    Heartbeat heartbeat,
    Reaper reaper,
    PriorityAgeing ageing,
    StrandedRuns stranded,
    LeaseWatchdog leaseWatchdog,
    Housekeeper housekeeper,
    // alerts: delivery (null when alerts are off)
    io.flinkplatform.engine.internal.alert.DeliveryLoop delivery,
    // alerts: overdue and deadline scan (part C2 alert-sla); null when alerts are off
    io.flinkplatform.engine.internal.alert.OverdueScan alertScan,
    // metrics (helper D): the meters the loops call, and the queue depth pass (null without meters)
    Meters meters,
    QueueDepth queueDepth) {
  private static final Logger LOG = LoggerFactory.getLogger(Components.class);

  // --- alerts: raising (the alert-raise branch)
  /**
   * The instance's alert raiser (a no-op when alerts are off): it reads rules again when one
   * changes here and raises DATABASE_UNREACHABLE when a loop reaches the database again.
   */
  private static AlertRaiser alertRaiser(
      PlatformSettings settings, Store store, Definitions definitions, Signals signals) {
    if (!settings.alerts().enabled()) {
      return AlertRaiser.NONE;
    }
    String consoleBase = consoleBase(settings);
    AlertRaiser raiser =
        new AlertRaiser(
            store,
            settings.instanceName(),
            settings.alerts(),
            consoleBase,
            (flowId, taskId) -> {
              try {
                var task = definitions.get(flowId).tasks.get(taskId);
                return task == null ? null : task.label().orElse(null);
              } catch (RuntimeException e) {
                return null; // an unreadable version: rules with a label do not match its tasks
              }
            });
    signals.onAlertRulesChanged(raiser::rulesChanged);
    signals.onDatabaseBack(raiser::databaseBack);
    return raiser;
  }

  /** The thread pools attempts run on: workers, and timers for timeouts and grace periods. */
  record Pools(ExecutorService workers, ScheduledExecutorService timers) {
    static Pools create(int workerThreads) {
      return new Pools(
          Executors.newFixedThreadPool(workerThreads + 4, threads("fp-worker-%d")),
          Executors.newScheduledThreadPool(1, threads("fp-timer-%d")));
    }

    void shutdownNow() {
      workers.shutdownNow();
      timers.shutdownNow();
    }

    private static ThreadFactory threads(String format) {
      return new ThreadFactoryBuilder().setNameFormat(format).setDaemon(true).build();
    }
  }

  /**
   * Builds the components; {@code housekeeper} is null when retention is off, {@code delivery} when
   * alerts are. Starts no thread but the pools' (and the events' delivery thread, already running).
   */
  static Components build(
      PlatformSettings settings,
      String owner,
      Store store,
      Events events,
      Pools pools,
      PluginRegistry plugins,
      InstallationId installation,
      Access access,
      io.flinkplatform.engine.storage.BlobStore resourceStore,
      io.flinkplatform.engine.internal.alert.ChannelRegistry alertChannels,
      io.flinkplatform.spi.Secrets secrets,
      Meters meters,
      boolean manual) {
    Signals signals = new Signals();
    // manual mode: the platform's clock (a test's) stands for the database's for ready times and
    // schedules, so that moving it alone makes work and fire times due
    LeaseClock leaseClock = manual ? LeaseClock.following(settings.clock()) : new LeaseClock();
    Definitions definitions = new Definitions(store, plugins);
    Progress progress = new Progress(definitions, settings.clock());
    AlertRaiser alerts = alertRaiser(settings, store, definitions, signals);
    LocalLogStore logs = logs(settings, installation.get());
    RunWaiters waiters = new RunWaiters();
    signals.onRunClosed(waiters::signalAll);
    RunCommands commands =
        new RunCommands(
            store, definitions, progress, events, signals, access, settings.clock(), alerts);
    Deployments deployments =
        new Deployments(
            store,
            new WorkflowValidator(
                plugins, new WorkflowReferences(store, plugins, access), settings.secretNames()),
            access,
            settings.clock());
    Reads reads =
        new Reads(
            new WorkflowReads(store, deployments),
            new RunSearch(store),
            new InstanceReads(store, settings.clock()),
            new Overviews(
                store,
                settings.clock(),
                // the time schedules fire by (ScheduleLoop): no later than the database's clock
                () -> Math.min(settings.clock().millis(), leaseClock.reached())));
    io.flinkplatform.engine.internal.alert.AlertBook alertBook =
        new io.flinkplatform.engine.internal.alert.AlertBook(
            store, access, alertChannels, secrets, settings.clock(), signals::alertRulesChanged);
    ClientImpl client =
        new ClientImpl(
            deployments,
            commands,
            new RerunCommands(
                store,
                new Reruns(definitions, progress),
                events,
                signals,
                access,
                settings.clock(),
                alerts),
            new RunQueries(store, definitions, logs, waiters),
            new LimitSettings(store, signals, access, settings.clock()),
            new Schedules(store, definitions, access, settings.clock()),
            new Backfills(store, definitions, access, settings.clock()),
            new Explainer(store, definitions, settings.clock()),
            signals,
            access,
            new WorkspaceAdmin(store, access, settings.clock()),
            new io.flinkplatform.engine.internal.resource.ResourceLibrary(
                store, access, resourceStore, settings.clock()),
            new Caller(Actor.SYSTEM, Workspaces.DEFAULT),
            reads,
            alertBook);
    Completer completer =
        new Completer(
            store,
            progress,
            events,
            settings.clock(),
            settings.completionBatchSize(),
            signals,
            alerts,
            meters);
    RunAccess runAccess =
        new RunAccess(
            store,
            definitions,
            events,
            settings.clock(),
            (caller, runId) -> commands.kill(caller, runId),
            signals::workReady,
            signals::scheduleChanged,
            access);
    ExternalPoller poller = new ExternalPoller(pools.workers(), signals);
    Executor executor =
        new Executor(
            definitions,
            store,
            logs,
            completer,
            pools.workers(),
            pools.timers(),
            settings.workerThreads(),
            settings.claimAhead(),
            settings.pollInterval().toMillis(),
            settings.clock(),
            settings.globalParameters(),
            signals::slotFreed,
            settings.cancelGracePeriod(),
            runAccess,
            poller,
            access);
    signals.onRunKilled(runId -> executor.cancelRun(runId, "run was killed"));
    Dispatcher dispatcher =
        new Dispatcher(
            store,
            executor,
            completer,
            events,
            settings.clock(),
            leaseClock,
            owner,
            settings.claimBatchSize(),
            settings.pollInterval().toMillis(),
            settings.leaseDuration().toMillis(),
            plugins.ids(),
            settings.labels(),
            meters);
    Reaper reaper = new Reaper(store, settings.clock(), signals, alerts, meters);
    long lease = settings.leaseDuration().toMillis();
    return new Components(
        store,
        events,
        signals,
        leaseClock,
        pools,
        definitions,
        logs,
        client,
        completer,
        executor,
        poller,
        dispatcher,
        new ScheduleLoop(
            store,
            definitions,
            events,
            settings.clock(),
            leaseClock,
            signals,
            settings.pollInterval().toMillis(),
            runId -> commands.killByPlatform("schedule", runId),
            alerts,
            meters),
        new Admission(store, definitions, events, settings.clock(), signals),
        new Heartbeat(
            store,
            executor,
            settings.clock(),
            leaseClock,
            reaper,
            owner,
            lease,
            completer::pendingAttemptIds,
            meters),
        reaper,
        new PriorityAgeing(store, settings.clock(), settings.priorityAgeing().toMillis()),
        // a quarter of a heartbeat at most per pass: the next renewal is not held back for long
        new StrandedRuns(
            store,
            definitions,
            progress,
            events,
            signals,
            alerts,
            settings.clock(),
            settings.heartbeatInterval().toMillis() / 4),
        new LeaseWatchdog(executor, lease),
        settings.retention().isZero()
            ? null
            : new Housekeeper(
                store,
                logs,
                settings.clock(),
                owner,
                settings.instanceName(),
                settings.retention(),
                settings.housekeepingInterval()),
        // alerts: delivery
        settings.alerts().enabled()
            ? new io.flinkplatform.engine.internal.alert.DeliveryLoop(
                store,
                alertChannels,
                secrets,
                settings.clock(),
                signals,
                owner,
                settings.instanceName(),
                settings.alerts(),
                meters)
            : null,
        // alerts: overdue and deadline scan (part C2 alert-sla)
        settings.alerts().enabled()
            ? new io.flinkplatform.engine.internal.alert.OverdueScan(
                store, settings.clock(), consoleBase(settings))
            : null,
        meters,
        meters.enabled() ? new QueueDepth(store, meters, settings.clock()) : null);
  }

  /** The console's public address with its base path, for links in alerts, or null. */
  private static String consoleBase(PlatformSettings settings) {
    return settings
        .console()
        .flatMap(
            c ->
                c.publicUri()
                    .map(
                        u ->
                            io.flinkplatform.engine.internal.alert.AlertRaiser.consoleBase(
                                u, c.basePath())))
        .orElse(null);
  }

  /** The task log store; a directory of another installation fails the start. */
  private static LocalLogStore logs(PlatformSettings settings, String installationId) {
    LocalLogStore logs =
        LocalLogStore.of(settings.logDirectory(), installationId, settings.maxTaskLogSize());
    String unmarked = logs.claim();
    LOG.info("[{}] task logs go to {}", settings.instanceName(), logs.root());
    if (settings.sharedLogStore().isPresent()) {
      logs =
          logs.sharing(
              settings.sharedLogStore().get(), settings.logShipInterval(), settings.instanceName());
      LOG.info(
          "[{}] task logs are shipped to {} every {}",
          settings.instanceName(),
          settings.sharedLogStore().get().describe(),
          settings.logShipInterval());
    }
    if (unmarked != null) {
      LOG.warn(
          "[{}] {}: logs of deleted runs are not removed there", settings.instanceName(), unmarked);
    }
    return logs;
  }
}
