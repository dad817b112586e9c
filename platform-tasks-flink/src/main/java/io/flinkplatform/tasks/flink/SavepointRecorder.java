package io.flinkplatform.tasks.flink;

import io.flinkplatform.spi.Actor;
import io.flinkplatform.spi.Workspaces;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records the savepoints of Flink jobs once (a path recorded already returns its record), with the
 * audit row of the action that took them in the same transaction, and disposes of those beyond the
 * retention count. A cluster action cannot roll back, so a record that fails after it happened is
 * tried once more and then audited alone ({@link #recordAudited}).
 */
final class SavepointRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(SavepointRecorder.class);

  private final FlinkSettings settings;
  private final FlinkStore store;

  SavepointRecorder(FlinkSettings settings, FlinkStore store) {
    this.settings = settings;
    this.store = store;
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
          c -> {
            store.access.audit(
                c,
                audit.actor(),
                audit.workspace(),
                audit.action(),
                audit.target(),
                audit.digest("savepoint at " + path) + "; savepoint not recorded: " + cause);
            return null;
          });
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
  SavepointRecord recordTwice(
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
}
