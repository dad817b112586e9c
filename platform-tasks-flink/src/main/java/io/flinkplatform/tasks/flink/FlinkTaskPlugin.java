package io.flinkplatform.tasks.flink;

import io.flinkplatform.spi.Actor;
import io.flinkplatform.spi.PluginContext;
import io.flinkplatform.spi.TaskPlugin;
import io.flinkplatform.spi.TaskType;
import io.flinkplatform.spi.WorkspaceAccess;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code flink} plugin: task types {@code flink_sql} and {@code flink_jar}, its tables ({@code
 * t_catalog_info}, {@code t_flink_function}, {@code t_flink_job}, {@code t_savepoint}), and {@link
 * #jobs()}, {@link #catalogs(Actor, String)} and {@link #functions(Actor, String)} for the host.
 * Found through {@code ServiceLoader} or added with {@code Platform.builder().plugin(new
 * FlinkTaskPlugin())}. Settings: see {@code docs/tasks/flink.md}.
 */
public final class FlinkTaskPlugin implements TaskPlugin {
  private static final Logger LOG = LoggerFactory.getLogger(FlinkTaskPlugin.class);
  static final String SCHEMA = "io/flinkplatform/tasks/flink/db";

  private volatile FlinkRuntime runtime;
  private volatile FlinkJobs jobs;
  private JobCounts counts; // guarded by this

  @Override
  public String name() {
    return "flink";
  }

  @Override
  public List<TaskType> taskTypes() {
    return List.of(FlinkTaskType.sql(() -> runtime), FlinkTaskType.jar(() -> runtime));
  }

  @Override
  public Optional<String> schemaLocation() {
    return Optional.of(SCHEMA);
  }

  @Override
  public synchronized void start(PluginContext context) {
    if (runtime != null) {
      throw new IllegalStateException("the flink plugin is started already");
    }
    FlinkSettings settings = new FlinkSettings(context.settings());
    if (context.setting(FlinkSettings.NAMESPACE).isPresent()) {
      LOG.warn(
          "[{}] the setting {} is no longer read: Flink job ids derive from the platform's"
              + " installation id, which no other platform has",
          context.instanceName(),
          FlinkSettings.NAMESPACE);
    }
    FlinkRuntime rt =
        new FlinkRuntime(
            settings,
            new FlinkStore(context.database(), context.clock(), context.secrets(), access(context)),
            context.installationId(),
            context.clock(),
            context.sharedMode(),
            stored(context),
            context.alerts());
    jobs = new FlinkJobs(rt);
    counts = JobCounts.register(context.meters(), rt.store.jobs);
    runtime = rt;
    LOG.info(
        "[{}] flink plugin started: default target {}{}, poll interval {}, settings {}",
        context.instanceName(),
        settings.defaultTarget().id(),
        context.sharedMode() ? " (shared mode: no in-JVM user code)" : "",
        settings.pollInterval(),
        settings);
  }

  /** The platform's uploaded resources, if it provides them. */
  private static Optional<io.flinkplatform.spi.StoredResources> stored(PluginContext context) {
    try {
      return Optional.of(context.resources());
    } catch (UnsupportedOperationException e) {
      return Optional.empty();
    }
  }

  /** The platform's workspace access; a context without one gets the system-only fallback. */
  private static WorkspaceAccess access(PluginContext context) {
    try {
      return context.access();
    } catch (UnsupportedOperationException e) {
      LOG.warn(
          "[{}] the platform provides no workspace access: only the system may change Flink"
              + " catalogs and functions, and workspaces use only their own",
          context.instanceName());
      return FlinkStore.OWN_ONLY;
    }
  }

  /** Savepoints, job state, catalogs and functions; available once the platform started. */
  public FlinkJobs jobs() {
    FlinkJobs j = jobs;
    if (j == null) {
      throw new IllegalStateException("the flink plugin is not started; start the platform first");
    }
    return j;
  }

  /**
   * The Flink catalogs of {@code workspace} as {@code actor} may see and change them: reads need
   * the role VIEWER there, changes EDITOR and write an audit row; {@link FlinkJobs#putCatalog} is
   * the system's in the default workspace.
   *
   * @throws IllegalArgumentException if {@code workspace} is not a workspace name or does not exist
   */
  public FlinkCatalogs catalogs(Actor actor, String workspace) {
    return new FlinkCatalogs(existing(started().store, workspace), actor, workspace);
  }

  /**
   * The Flink functions of {@code workspace} as {@code actor} may see and change them: reads need
   * the role VIEWER there, changes EDITOR and write an audit row; {@link FlinkJobs#putFunction} is
   * the system's in the default workspace.
   *
   * @throws IllegalArgumentException if {@code workspace} is not a workspace name or does not exist
   */
  public FlinkFunctions functions(Actor actor, String workspace) {
    return new FlinkFunctions(existing(started().store, workspace), actor, workspace);
  }

  /** The store, once the platform confirmed the workspace exists. */
  private static FlinkStore existing(FlinkStore store, String workspace) {
    if (store.access != null && workspace != null && !store.access.exists(workspace)) {
      throw new IllegalArgumentException("workspace: '" + workspace + "' does not exist");
    }
    return store;
  }

  private FlinkRuntime started() {
    FlinkRuntime rt = runtime;
    if (rt == null) {
      throw new IllegalStateException("the flink plugin is not started; start the platform first");
    }
    return rt;
  }

  /**
   * The console's operations below {@code /api/v1/workspaces/{ws}/}: {@code GET catalogs}, {@code
   * GET functions}, {@code GET flink/jobs}, {@code GET flink/jobs/{jobId}}, {@code GET
   * flink/jobs/{jobId}/savepoints} (viewer), {@code POST flink/jobs/{jobId}/savepoints} and {@code
   * POST flink/jobs/{jobId}/stop-with-savepoint} (operator, audited).
   */
  @Override
  public List<io.flinkplatform.spi.ApiOperation> apiOperations() {
    return new FlinkApi(this, this::jobs).operations();
  }

  /** The running plugin's runtime, or null; for tests in this package. */
  FlinkRuntime runtime() {
    return runtime;
  }

  @Override
  public synchronized void stop() {
    FlinkRuntime rt = runtime;
    runtime = null;
    jobs = null;
    if (counts != null) {
      counts.close();
      counts = null;
    }
    if (rt != null) {
      rt.close();
    }
  }
}
