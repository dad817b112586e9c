package io.flinkplatform.tasks.flink;

import io.flinkplatform.spi.ApiOperation;
import io.flinkplatform.spi.ApiOperation.Column;
import io.flinkplatform.spi.ApiRequest;
import io.flinkplatform.spi.InvalidInputException;
import io.flinkplatform.spi.Redaction;
import io.flinkplatform.spi.Role;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The plugin's console operations: the workspace's catalogs and functions, its Flink jobs with
 * their two-level status (the YARN application and the Flink job), savepoints, and savepoint /
 * stop-with-savepoint on a running job. The console checks the caller's role before these run;
 * catalogs, functions and the savepoint calls check it again and write their audit row in the
 * transaction of their change ({@link FlinkJobs#triggerSavepoint(io.flinkplatform.spi.Actor,
 * String, long)}).
 */
final class FlinkApi {
  private static final Pattern JOB_ID = Pattern.compile("[0-9a-f]{32}");
  private final FlinkTaskPlugin plugin;
  private final Supplier<FlinkJobs> jobs;

  FlinkApi(FlinkTaskPlugin plugin, Supplier<FlinkJobs> jobs) {
    this.plugin = plugin;
    this.jobs = jobs;
  }

  /** A catalog as the console shows it: secret-looking option values masked. */
  record CatalogView(
      String name, String type, Optional<String> defaultDatabase, Map<String, String> options) {
    static CatalogView of(CatalogInfo c) {
      return new CatalogView(
          c.name(),
          c.type(),
          c.defaultDatabase(),
          Redaction.properties(new java.util.TreeMap<>(c.options())));
    }
  }

  /**
   * A Flink job with its two-level status.
   *
   * @param yarnApplication the YARN application id, for jobs on YARN
   * @param yarnState YARN's state of it now ({@code RUNNING}, {@code FINISHED}, ...), {@code
   *     unknown} if YARN could not be asked; empty off YARN
   * @param flinkState the Flink job state the plugin last saw
   * @param webUi a link to the job in the Flink web UI, when its cluster's address is known
   */
  record JobRow(
      String jobId,
      String workflow,
      String task,
      long attemptId,
      int generation,
      String target,
      Optional<String> yarnApplication,
      Optional<String> yarnState,
      String flinkState,
      long restarts,
      Optional<String> lastCheckpoint,
      Optional<String> restoredFrom,
      Instant submittedAt,
      Optional<Instant> endedAt,
      Optional<String> message,
      Optional<String> webUi) {}

  List<ApiOperation> operations() {
    return List.of(
        ApiOperation.get(
                "catalogs",
                Role.VIEWER,
                "The workspace's Flink catalogs (secret options masked)",
                r ->
                    plugin.catalogs(r.actor(), r.workspace()).list().stream()
                        .map(CatalogView::of)
                        .toList())
            .withColumns(
                Column.of("name", "Name"),
                Column.of("type", "Type"),
                Column.of("defaultDatabase", "Default database"),
                Column.of("options", "Options")),
        ApiOperation.get(
                "functions",
                Role.VIEWER,
                "The workspace's Flink functions",
                r -> plugin.functions(r.actor(), r.workspace()).list())
            .withColumns(
                Column.of("name", "Name"),
                Column.of("className", "Class"),
                Column.of("jarUri", "Jar")),
        ApiOperation.get(
                "flink/jobs",
                Role.VIEWER,
                "The workspace's Flink jobs, newest first: YARN and Flink state, restarts, last"
                    + " checkpoint, web UI",
                r -> {
                  int limit = limit(r);
                  return jobs.get().jobs(r.workspace(), limit).stream().map(this::row).toList();
                })
            .withQuery("limit", "at most this many jobs, 1 to 1000 (default 100)")
            .withColumns(
                Column.of("jobId", "Job"),
                Column.of("workflow", "Workflow"),
                Column.of("task", "Task"),
                Column.of("target", "Target"),
                Column.of("yarnState", "YARN"),
                Column.of("flinkState", "Flink"),
                Column.of("restarts", "Restarts"),
                Column.of("lastCheckpoint", "Last checkpoint"),
                Column.of("submittedAt", "Submitted"),
                Column.of("webUi", "Web UI")),
        ApiOperation.get(
            "flink/jobs/{jobId}",
            Role.VIEWER,
            "One Flink job with its two-level status",
            r -> row(job(r))),
        ApiOperation.get(
            "flink/jobs/{jobId}/savepoints",
            Role.VIEWER,
            "The savepoints and retained checkpoints of the job's task, newest first",
            r -> {
              FlinkJobInfo job = job(r);
              return jobs.get().savepoints(r.workspace(), job.workflowName(), job.taskId());
            }),
        ApiOperation.post(
            "flink/jobs/{jobId}/savepoints",
            Role.OPERATOR,
            "flink.savepoint",
            "Trigger a savepoint of the running job and wait for it",
            r -> {
              FlinkJobInfo job = running(r);
              return cluster(
                  () -> jobs.get().triggerSavepoint(r.actor(), r.workspace(), job.attemptId()));
            }),
        ApiOperation.post(
                "flink/jobs/{jobId}/stop-with-savepoint",
                Role.OPERATOR,
                "flink.stop",
                "Stop the running job with a savepoint (the task then succeeds)",
                r -> {
                  FlinkJobInfo job = running(r);
                  Object drain = r.body().getOrDefault("drain", false);
                  if (!(drain instanceof Boolean)) {
                    throw new InvalidInputException("drain", "drain must be true or false");
                  }
                  return cluster(
                      () ->
                          jobs.get()
                              .stopWithSavepoint(
                                  r.actor(), r.workspace(), job.attemptId(), (Boolean) drain));
                })
            .withBody(
                "{\"drain\": true to let sources end and timers fire first (default false)}"));
  }

  private static int limit(ApiRequest r) {
    Optional<String> v = r.query("limit");
    if (v.isEmpty()) {
      return 100;
    }
    try {
      int n = Integer.parseInt(v.get());
      if (n >= 1 && n <= 1000) {
        return n;
      }
    } catch (NumberFormatException e) {
      // the same error below
    }
    throw new InvalidInputException("limit", "limit must be a whole number from 1 to 1000");
  }

  private FlinkJobInfo job(ApiRequest r) {
    String id = r.path("jobId");
    if (!JOB_ID.matcher(id).matches()) {
      throw new InvalidInputException("jobId", "jobId must be 32 lower-case hex digits");
    }
    return jobs.get()
        .jobById(r.workspace(), id)
        .orElseThrow(() -> new FlinkJobNotFoundException(id, r.workspace()));
  }

  private FlinkJobInfo running(ApiRequest r) {
    FlinkJobInfo job = job(r);
    FlinkJobInfo current = jobs.get().job(job.attemptId()).orElse(job);
    if (!current.jobId().equals(job.jobId()) || current.endedAt().isPresent()) {
      throw new IllegalStateException(
          "the Flink job "
              + job.jobId()
              + " is not running ("
              + job.state()
              + (current.jobId().equals(job.jobId()) ? "" : "; its task runs " + current.jobId())
              + ")");
    }
    return current;
  }

  /**
   * A call to the job's cluster: its failure (the job ended, the cluster refused or did not answer
   * in time) is a conflict with the job's state (409). A failure of the platform's database is not
   * (500 with an error id), and an action that happened but could not be recorded answers its own
   * typed error ({@link SavepointNotRecordedException}, 500).
   */
  private static SavepointRecord cluster(Supplier<SavepointRecord> call) {
    try {
      return call.get();
    } catch (SavepointNotRecordedException | FlinkStoreException e) {
      throw e;
    } catch (FlinkTaskException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  private JobRow row(FlinkJobInfo j) {
    Optional<String> app = Optional.empty();
    Optional<String> yarnState = Optional.empty();
    Optional<String> ui = Optional.ofNullable(j.cluster()).filter(c -> c.startsWith("http"));
    if (j.cluster() != null && YarnTags.isYarn(j.cluster())) {
      try {
        Optional<YarnApplicationInfo> info = jobs.get().yarnApplication(j.attemptId());
        app = info.map(YarnApplicationInfo::applicationId);
        yarnState = Optional.of(info.map(YarnApplicationInfo::state).orElse("UNKNOWN"));
        ui = info.flatMap(YarnApplicationInfo::restAddress);
      } catch (RuntimeException | LinkageError e) {
        yarnState = Optional.of("UNKNOWN (YARN could not be asked)");
      }
    }
    Optional<String> webUi =
        ui.filter(u -> u.startsWith("http://") || u.startsWith("https://"))
            .map(
                u ->
                    (u.endsWith("/") ? u.substring(0, u.length() - 1) : u)
                        + "/#/job/"
                        + (j.endedAt().isPresent() ? "completed/" : "running/")
                        + j.jobId()
                        + "/overview");
    return new JobRow(
        j.jobId(),
        j.workflowName(),
        j.taskId(),
        j.attemptId(),
        j.generation(),
        j.target(),
        app,
        yarnState,
        j.state(),
        j.restarts(),
        j.lastCheckpoint(),
        j.restoredFrom(),
        j.submittedAt(),
        j.endedAt(),
        j.message(),
        webUi);
  }
}
