package io.flinkplatform.tasks.shell;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.spi.TaskContext;
import io.flinkplatform.spi.TaskLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ProcessTracker} on the {@code t_shell_process} table.
 *
 * <p>A record is a survivor, to be ended, when its supervising JVM (found by pid and start time on
 * this host) is gone, or when a newer claim of the same attempt, or a later attempt of the same
 * task, starts here. Ending it means: the root, if a process with the recorded pid <em>and</em>
 * start time still runs, with its descendants and its process group; and every process whose
 * environment holds the record's token and that started no earlier than the root (this finds
 * orphans whose parents died). A pid that was reused by another process matches neither.
 */
final class DatabaseProcessTracker implements ProcessTracker {
  private static final Logger LOG = LoggerFactory.getLogger(DatabaseProcessTracker.class);

  private final ProcessRecords records;
  private final Host host;
  private final ProcessIdentity self;
  private final String instanceName;

  DatabaseProcessTracker(
      ProcessRecords records, Host host, ProcessIdentity self, String instanceName) {
    this.records = requireNonNull(records, "records is null");
    this.host = requireNonNull(host, "host is null");
    this.self = requireNonNull(self, "self is null");
    this.instanceName = requireNonNull(instanceName, "instanceName is null");
  }

  Host host() {
    return host;
  }

  /**
   * Ends the survivors of every dead JVM on this host and forgets records of earlier boots. Returns
   * how many records were cleared.
   */
  int sweep() {
    int cleared = 0;
    for (ProcessRecord r : records.onHost(host.name())) {
      if (!r.host().bootId().equals(host.bootId())) {
        records.delete(r.id()); // the machine restarted since: nothing of it runs
        cleared++;
      } else if (!r.owner().alive()) {
        int ended = end(r);
        LOG.info(
            "[{}] shell: ended {} process(es) of run {} task {} {}, whose instance is gone",
            instanceName,
            ended,
            r.runId(),
            r.taskId(),
            r.describe());
        records.delete(r.id());
        cleared++;
      }
    }
    return cleared;
  }

  @Override
  public void endSurvivors(TaskContext context, TaskLog log) {
    try {
      for (ProcessRecord r : records.forTask(host.name(), context.runId(), context.taskId())) {
        boolean otherBoot = !r.host().bootId().equals(host.bootId());
        if (!otherBoot && !survivor(r, context)) {
          continue;
        }
        if (!otherBoot) {
          int ended = end(r);
          log.line(
              ended == 0
                  ? "[shell] no process of " + r.describe() + " was still running"
                  : "[shell] ended " + ended + " process(es) left running by " + r.describe());
        }
        records.delete(r.id());
      }
    } catch (RuntimeException e) {
      log.line("[shell] could not look for processes left by earlier claims: " + e.getMessage());
    }
  }

  private boolean survivor(ProcessRecord r, TaskContext context) {
    if (r.attemptId() == context.attemptId() && r.epoch() >= context.fencingEpoch()) {
      return false; // this claim's own record, or a newer one: not ours to end
    }
    return !r.owner().alive()
        || r.attemptId() == context.attemptId()
        || r.attempt() < context.attemptNumber();
  }

  @Override
  public long track(
      TaskContext context, ProcessIdentity root, String token, Duration grace, TaskLog log) {
    try {
      return records.insert(
          new ProcessRecord(
              0,
              host,
              context.runId(),
              context.taskId(),
              context.attemptId(),
              context.attemptNumber(),
              context.fencingEpoch(),
              root,
              token,
              self,
              instanceName,
              grace.toMillis()));
    } catch (RuntimeException e) {
      log.line(
          "[shell] could not record the process for clean-up after a failover: " + e.getMessage());
      return 0;
    }
  }

  @Override
  public void untrack(long id, TaskLog log) {
    if (id == 0) {
      return;
    }
    try {
      records.delete(id);
    } catch (RuntimeException e) {
      log.line("[shell] could not remove the process record " + id + ": " + e.getMessage());
    }
  }

  /** Ends what still runs of a recorded tree; returns how many processes that was. */
  private static int end(ProcessRecord r) {
    Optional<ProcessHandle> root = r.process().find();
    List<ProcessHandle> members = new ArrayList<>();
    root.ifPresent(members::add);
    members.addAll(
        ProcessScan.withEnvironment(
            ShellEnvironment.PROCESS_TOKEN, r.token(), r.process().startMillis()));
    Set<Long> pids = new LinkedHashSet<>();
    for (ProcessHandle member : members) {
      pids.add(member.pid());
      member.descendants().forEach(d -> pids.add(d.pid()));
    }
    if (pids.isEmpty()) {
      return 0;
    }
    OptionalLong group =
        root.isPresent() && SessionLauncher.available()
            ? OptionalLong.of(r.process().pid())
            : OptionalLong.empty();
    new ProcessTree(members, group).terminate(Duration.ofMillis(Math.max(0, r.graceMillis())));
    return pids.size();
  }
}
