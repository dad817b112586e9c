package io.flinkplatform.engine.internal.query;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.engine.NotFoundException;
import io.flinkplatform.engine.internal.access.Caller;
import io.flinkplatform.engine.internal.definition.Deployments;
import io.flinkplatform.engine.internal.store.RunRow;
import io.flinkplatform.engine.internal.store.ScheduleRow;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.engine.internal.store.StoreMapper;
import io.flinkplatform.engine.internal.store.VersionRow;
import io.flinkplatform.engine.run.DeployedWorkflow;
import io.flinkplatform.engine.run.VersionDiff;
import io.flinkplatform.engine.run.WorkflowSummary;
import io.flinkplatform.engine.run.WorkflowVersion;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The workflows of a workspace as lists show them: each with its latest version, schedules and last
 * run; the versions of one; the difference between two versions.
 */
public final class WorkflowReads {
  private final Store store;
  private final Deployments deployments;

  public WorkflowReads(Store store, Deployments deployments) {
    this.store = store;
    this.deployments = deployments;
  }

  private record Listing(
      List<VersionRow> latest, List<ScheduleRow> schedules, List<RunRow> lastRuns) {}

  /** Every workflow of the caller's workspace, by name; one transaction. */
  public List<WorkflowSummary> workflows(Caller caller) {
    String ws = caller.workspace();
    Listing l =
        store.tx(
            "read the workflows",
            m ->
                new Listing(
                    m.selectLatestVersions(ws), m.selectSchedules(ws, null), lastRuns(m, ws)));
    Map<String, TreeSet<String>> schedules = new TreeMap<>();
    l.schedules()
        .forEach(s -> schedules.computeIfAbsent(s.flowName, k -> new TreeSet<>()).add(s.name));
    Map<String, RunRow> lastRuns =
        l.lastRuns().stream().collect(Collectors.toMap(r -> r.flowName, Function.identity()));
    return l.latest().stream()
        .map(
            v ->
                new WorkflowSummary(
                    v.name,
                    v.version,
                    v.taskCount,
                    Instant.ofEpochMilli(v.createdAt),
                    v.createdBy,
                    v.description,
                    List.copyOf(schedules.getOrDefault(v.name, new TreeSet<>())),
                    Optional.ofNullable(lastRuns.get(v.name)).map(ApiMapping::toRun)))
        .toList();
  }

  private static List<RunRow> lastRuns(StoreMapper m, String ws) {
    List<Long> ids = m.selectLastRunIds(ws);
    return ids.isEmpty() ? List.of() : m.selectRuns(ids);
  }

  /** Every version of a workflow of the caller's workspace, newest first; empty for none. */
  public List<WorkflowVersion> versions(Caller caller, String name) {
    requireNonNull(name, "name is null");
    return store
        .tx("read the versions of '" + name + "'", m -> m.selectVersions(caller.workspace(), name))
        .stream()
        .map(
            v ->
                new WorkflowVersion(
                    v.id,
                    v.version,
                    Instant.ofEpochMilli(v.createdAt),
                    v.createdBy,
                    v.taskCount,
                    v.description))
        .toList();
  }

  /**
   * What changed from version {@code from} to version {@code to}.
   *
   * @throws NotFoundException naming the workflow and the version that does not exist
   */
  public VersionDiff diff(Caller caller, String name, int from, int to) {
    requireNonNull(name, "name is null");
    DeployedWorkflow a = version(caller, name, from);
    DeployedWorkflow b = version(caller, name, to);
    return WorkflowDiffs.diff(name, from, a.workflow(), to, b.workflow());
  }

  private DeployedWorkflow version(Caller caller, String name, int version) {
    return deployments
        .find(caller, name, version)
        .orElseThrow(
            () ->
                new NotFoundException(
                    "workflow '"
                        + name
                        + "' has no version "
                        + version
                        + " in workspace '"
                        + caller.workspace()
                        + "'"));
  }
}
