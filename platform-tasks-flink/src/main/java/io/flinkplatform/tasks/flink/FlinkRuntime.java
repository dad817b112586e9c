package io.flinkplatform.tasks.flink;

import io.flinkplatform.spi.Actor;
import io.flinkplatform.spi.Role;
import io.flinkplatform.spi.Workspaces;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.core.execution.SavepointFormatType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the plugin holds while the platform runs: settings, its tables, the clusters and the
 * resource store. Created by {@link FlinkTaskPlugin#start}, closed by {@link FlinkTaskPlugin#stop}.
 */
final class FlinkRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FlinkRuntime.class);

  /** The audit action of a savepoint a caller triggered. */
  static final String SAVEPOINT_ACTION = "flink.savepoint";

  /** The audit action of a stop-with-savepoint a caller asked for. */
  static final String STOP_ACTION = "flink.stop";

  final FlinkSettings settings;
  final FlinkStore store;
  final Clusters clusters;
  final Resources resources;

  /** The platform's installation id: part of every job id and job name mark. */
  final String installationId;

  final Clock clock;

  /** Whether the platform runs in shared mode: no user code in this JVM ({@link SharedMode}). */
  final boolean sharedMode;

  /** Raises the Flink alert kinds for the workspace's rules. */
  final JobAlerts alerts;

  private final java.util.Map<String, CompletableFuture<SavepointRecord>> stopping =
      new java.util.concurrent.ConcurrentHashMap<>();

  FlinkRuntime(
      FlinkSettings settings,
      FlinkStore store,
      String installationId,
      Clock clock,
      boolean sharedMode,
      Optional<io.flinkplatform.spi.StoredResources> stored,
      io.flinkplatform.spi.PluginAlerts alerts) {
    this.alerts = new JobAlerts(alerts);
    this.settings = settings;
    this.sharedMode = sharedMode;
    this.store = store;
    this.installationId = installationId;
    this.clock = clock;
    this.clusters = new Clusters(settings.environment(), settings);
    this.resources = new Resources(settings.hadoop(), settings.cacheDir(), stored);
  }

  /**
   * The running job of an attempt of {@code workspace}, once {@code actor} may take its savepoints
   * ({@link Role#OPERATOR} there; checked first, so a refused caller learns nothing of the job).
   *
   * @throws io.flinkplatform.spi.AccessDeniedException naming the actor, workspace and action
   * @throws FlinkTaskException if the attempt has no Flink job in the workspace, or it has ended
   */
  FlinkJobInfo runningJob(Actor actor, String workspace, long attemptId, String action) {
    store.access.require(actor, workspace, Role.OPERATOR, action);
    FlinkJobInfo job =
        store
            .jobs
            .current(attemptId)
            .filter(j -> store.jobs.workspaceOf(attemptId).orElse("").equals(workspace))
            .orElseThrow(
                () ->
                    new FlinkTaskException(
                        "attempt "
                            + attemptId
                            + " has no Flink job in workspace '"
                            + workspace
                            + "'"));
    if (job.endedAt().isPresent()) {
      throw new FlinkTaskException(
          "the Flink job "
              + job.jobId()
              + " of attempt "
              + attemptId
              + " has ended ("
              + job.state()
              + "); savepoints need a running job");
    }
    return job;
  }

  /** The REST client of the job's cluster (on YARN: of its application's Flink cluster). */
  org.apache.flink.client.program.rest.RestClusterClient<?> client(FlinkJobInfo job) {
    try {
      return clusters.client(job.cluster());
    } catch (FlinkTaskException e) {
      throw e;
    } catch (Exception e) {
      throw new FlinkTaskException(
          "cannot reach the cluster " + job.cluster() + " of Flink job " + job.jobId(), e);
    }
  }

  /**
   * Triggers a savepoint of the attempt's running job as {@code actor}, waits for it and records it
   * with its {@code flink.savepoint} audit row in one transaction ({@link #recordAudited}). A
   * savepoint that completes after the wait timed out is recorded and audited when it completes.
   */
  SavepointRecord triggerSavepoint(
      Actor actor, String workspace, long attemptId, Optional<String> directory, Duration timeout) {
    FlinkJobInfo job = runningJob(actor, workspace, attemptId, SAVEPOINT_ACTION);
    Audit audit = new Audit(actor, workspace, SAVEPOINT_ACTION, job, sp -> sp);
    CompletableFuture<String> taken =
        client(job)
            .triggerSavepoint(
                JobID.fromHexString(job.jobId()),
                directory.or(job::savepointDir).orElse(null),
                SavepointFormatType.CANONICAL);
    return await(
        taken.thenApply(path -> recordAudited(job, SavepointRecord.Kind.SAVEPOINT, path, audit)),
        timeout,
        "savepoint of Flink job " + job.jobId(),
        actor);
  }

  /**
   * Stops the attempt's job with a savepoint as {@code actor} (draining its sources if asked) and
   * records it with its {@code flink.stop} audit row in one transaction ({@link #recordAudited}). A
   * stop that completes after the wait timed out is recorded and audited when it completes.
   */
  SavepointRecord stopWithSavepoint(
      Actor actor,
      String workspace,
      long attemptId,
      boolean drain,
      Optional<String> directory,
      Duration timeout) {
    FlinkJobInfo job = runningJob(actor, workspace, attemptId, STOP_ACTION);
    Audit audit =
        new Audit(
            actor,
            workspace,
            STOP_ACTION,
            job,
            sp -> "stopped with " + sp + (drain ? ", drained" : ""));
    return await(
        stopAsync(job, drain, directory, Optional.of(audit)),
        timeout,
        "stop-with-savepoint of Flink job " + job.jobId(),
        actor);
  }

  /**
   * Starts a stop-with-savepoint; the savepoint is recorded when it completes, with the audit row
   * of {@code audit} if there is one (an {@code on_kill} stop has none: the kill is audited).
   */
  CompletableFuture<SavepointRecord> stopAsync(
      FlinkJobInfo job, boolean drain, Optional<String> dir, Optional<Audit> audit) {
    clusters.invalidate(job.cluster());
    CompletableFuture<SavepointRecord> stop =
        client(job)
            .stopWithSavepoint(
                JobID.fromHexString(job.jobId()),
                drain,
                dir.or(job::savepointDir).orElse(null),
                SavepointFormatType.CANONICAL)
            .thenApply(
                path ->
                    audit.isPresent()
                        ? recordAudited(job, SavepointRecord.Kind.STOP_SAVEPOINT, path, audit.get())
                        : recordTwice(job, SavepointRecord.Kind.STOP_SAVEPOINT, path, null));
    stopping.put(job.jobId(), stop);
    stop.whenComplete((path, error) -> stopping.remove(job.jobId(), stop));
    return stop;
  }

  /**
   * Who asked for a savepoint action on a job: its audit row, written with the record or, when the
   * record fails, alone.
   *
   * @param describe what happened, given how to name the savepoint ("savepoint 12", or "savepoint
   *     at file:/..." when it has no record)
   */
  record Audit(
      Actor actor,
      String workspace,
      String action,
      FlinkJobInfo job,
      java.util.function.UnaryOperator<String> describe) {
    String target() {
      return "flink-job:" + job.jobId();
    }

    String digest(String savepoint) {
      return describe.apply(savepoint) + " (" + job.workflowName() + "." + job.taskId() + ")";
    }

    /** Writes the audit row in the record's transaction. */
    SavepointStore.Auditor auditor(io.flinkplatform.spi.WorkspaceAccess access) {
      return (c, s) ->
          access.audit(c, actor, workspace, action, target(), digest("savepoint " + s.id()));
    }

    @Override
    public String toString() {
      return "actor "
          + actor.name()
          + ", workspace '"
          + workspace
          + "', action "
          + action
          + ", Flink job "
          + job.jobId();
    }
  }

  /**
   * Records a savepoint a cluster action took, with its audit row, after the action happened (it
   * cannot roll back). A failed record is tried once more; if that fails too, the action is audited
   * alone in a transaction of its own, with a digest saying the savepoint was not recorded, and the
   * caller gets {@link SavepointNotRecordedException}. If even the audit row fails, an ERROR line
   * names the actor, workspace, action, job and path.
   */
  SavepointRecord recordAudited(
      FlinkJobInfo job, SavepointRecord.Kind kind, String path, Audit audit) {
    RuntimeException failed;
    try {
      return recordTwice(job, kind, path, audit);
    } catch (RuntimeException e) {
      failed = e;
    }
    String cause = SqlSyntax.firstLine(failed.getMessage());
    LOG.error(
        "{} of {} happened but its savepoint {} could not be recorded: {}; auditing it alone",
        kind,
        audit,
        path,
        cause);
    boolean audited;
    try {
      store.savepoints.auditAlone(
          "audit " + audit.action() + " of Flink job " + job.jobId(),
          c ->
              store.access.audit(
                  c,
                  audit.actor(),
                  audit.workspace(),
                  audit.action(),
                  audit.target(),
                  audit.digest("savepoint at " + path) + "; savepoint not recorded: " + cause));
      audited = true;
    } catch (RuntimeException e) {
      audited = false;
      failed.addSuppressed(e);
      LOG.error(
          "UNAUDITED: {} of {} happened (savepoint {}) and neither its record nor its audit row"
              + " could be written: {}",
          kind,
          audit,
          path,
          SqlSyntax.firstLine(e.getMessage()));
    }
    throw new SavepointNotRecordedException(audit.action(), job.jobId(), path, audited, failed);
  }

  /** {@link #record}, tried once more if it fails (a database blip). */
  private SavepointRecord recordTwice(
      FlinkJobInfo job, SavepointRecord.Kind kind, String path, Audit audit) {
    Optional<SavepointStore.Auditor> auditor =
        Optional.ofNullable(audit).map(a -> a.auditor(store.access));
    try {
      return record(job, kind, path, auditor);
    } catch (RuntimeException first) {
      LOG.warn(
          "recording {} {} of Flink job {} failed ({}); trying once more",
          kind,
          path,
          job.jobId(),
          SqlSyntax.firstLine(first.getMessage()));
      try {
        return record(job, kind, path, auditor);
      } catch (RuntimeException second) {
        second.addSuppressed(first);
        throw second;
      }
    }
  }

  /**
   * The savepoint of a stop-with-savepoint this instance started for the job, once it completed
   * (the job can reach FINISHED before the caller hears back); empty if none is in flight.
   */
  Optional<String> awaitStop(String jobId, Duration timeout) {
    CompletableFuture<SavepointRecord> stop = stopping.get(jobId);
    if (stop == null) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(stop.get(timeout.toMillis(), TimeUnit.MILLISECONDS))
          .map(SavepointRecord::path);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  /**
   * Records a savepoint once, without an audit row (what the supervisor finds: a stop started
   * elsewhere, a retained checkpoint): a path recorded already returns the existing record.
   */
  SavepointRecord record(FlinkJobInfo job, SavepointRecord.Kind kind, String path) {
    return record(job, kind, path, Optional.empty());
  }

  /**
   * Records a savepoint once, with the audit row of {@code auditor} in the same transaction if
   * there is one; then applies retention.
   */
  synchronized SavepointRecord record(
      FlinkJobInfo job,
      SavepointRecord.Kind kind,
      String path,
      Optional<SavepointStore.Auditor> auditor) {
    String workspace = store.jobs.workspaceOf(job.attemptId()).orElse(Workspaces.DEFAULT);
    SavepointStore.Recorded r = store.savepoints.record(workspace, job, kind, path, auditor);
    if (!r.added()) {
      return r.savepoint();
    }
    LOG.info(
        "recorded {} {} of Flink job {} ({}.{})",
        kind,
        path,
        job.jobId(),
        job.workflowName(),
        job.taskId());
    try {
      retain(workspace, job.workflowName(), job.taskId());
    } catch (RuntimeException e) {
      // the record is committed: a retry would audit it twice; retention runs again next time
      LOG.warn("retention after recording {} failed", path, e);
    }
    return r.savepoint();
  }

  /**
   * Disposes of a task's savepoints beyond the retention count: files first, then the record. Files
   * are deleted only under the configured savepoint and checkpoint directories ({@link
   * FlinkSettings#stateRoots()}); a path elsewhere (a cluster reported it, a task chose it) only
   * loses its record and keeps its files.
   */
  void retain(String workspace, String workflow, String taskId) {
    List<SavepointRecord> live = store.savepoints.ofTask(workspace, workflow, taskId);
    int keep = settings.savepointRetention();
    List<String> roots = settings.stateRoots();
    for (SavepointRecord old : live.subList(Math.min(keep, live.size()), live.size())) {
      try {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(old.path());
        if (isUnder(p, roots, settings.hadoop())) {
          p.getFileSystem(settings.hadoop()).delete(p, true);
          LOG.info("disposed of {} {} (retention keeps {})", old.kind(), old.path(), keep);
        } else {
          LOG.warn(
              "{} {} is not under the savepoint or checkpoint directories {}: dropping its record"
                  + " and leaving its files (retention keeps {})",
              old.kind(),
              old.path(),
              roots,
              keep);
        }
        store.savepoints.markDisposed(old.id());
      } catch (Exception e) {
        LOG.warn("cannot dispose of savepoint {} at {}", old.id(), old.path(), e);
      }
    }
  }

  /**
   * Whether {@code path} lies strictly below one of {@code roots}: same file system (scheme and
   * authority, after qualifying both against their file system), and below the root's path.
   */
  static boolean isUnder(
      org.apache.hadoop.fs.Path path, List<String> roots, org.apache.hadoop.conf.Configuration h) {
    java.net.URI p;
    try {
      p = path.getFileSystem(h).makeQualified(path).toUri().normalize();
    } catch (Exception e) {
      return false;
    }
    if (p.getPath() == null || p.getPath().contains("/../")) {
      return false;
    }
    for (String root : roots) {
      try {
        org.apache.hadoop.fs.Path rp = new org.apache.hadoop.fs.Path(root);
        java.net.URI r = rp.getFileSystem(h).makeQualified(rp).toUri().normalize();
        String base = r.getPath().endsWith("/") ? r.getPath() : r.getPath() + "/";
        if (java.util.Objects.equals(r.getScheme(), p.getScheme())
            && java.util.Objects.equals(
                java.util.Objects.toString(r.getAuthority(), ""),
                java.util.Objects.toString(p.getAuthority(), ""))
            && p.getPath().startsWith(base)
            && p.getPath().length() > base.length()) {
          return true;
        }
      } catch (Exception e) {
        LOG.debug("cannot qualify state directory {}", root, e);
      }
    }
    return false;
  }

  /**
   * Why a job the cluster lists under {@code job}'s id is not this attempt's, if it is not: its
   * name lacks the mark this installation gave the attempt's submission. YARN applications are
   * found by a tag derived from the job id and their job is named in the cluster, so they are not
   * checked here; a job recorded by an earlier version (whose id was derived without the
   * installation id) has no mark to check.
   */
  Optional<String> foreign(FlinkJobInfo job, JobView view) {
    if (YarnTags.isYarn(job.cluster()) || view.name().isEmpty()) {
      return Optional.empty();
    }
    if (!job.jobId()
        .equals(JobIds.of(installationId, job.attemptId(), job.generation()).toHexString())) {
      return Optional.empty();
    }
    String mark = JobIds.mark(installationId, job.attemptId(), job.generation());
    if (view.name().get().endsWith(mark)) {
      return Optional.empty();
    }
    return Optional.of(
        "the Flink job "
            + job.jobId()
            + " on "
            + job.cluster()
            + " is not this attempt's: it is named '"
            + view.name().get()
            + "', without the mark '"
            + mark.trim()
            + "' this platform gives attempt "
            + job.attemptId()
            + " (another platform submitted a job with this id); it is left alone");
  }

  /**
   * Waits for a savepoint action: a {@link SavepointNotRecordedException} is rethrown as it is, any
   * other failure is the cluster's; a timeout says the action may still complete (and then be
   * recorded and audited as {@code actor}).
   */
  private static <T> T await(CompletableFuture<T> f, Duration timeout, String what, Actor actor) {
    try {
      return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FlinkTaskException(what + " was interrupted", e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new FlinkTaskException(
          what
              + " did not complete within "
              + timeout
              + "; if it completes later, it is recorded and audited as "
              + actor.name()
              + " then",
          e);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof SavepointNotRecordedException notRecorded) {
        throw notRecorded;
      }
      throw new FlinkTaskException(
          what + " failed: " + SqlSyntax.firstLine(rootMessage(e.getCause())), e.getCause());
    }
  }

  static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }

  @Override
  public void close() {
    clusters.close();
  }
}
