package io.flinkplatform.spi;

import java.util.List;
import java.util.Optional;

/**
 * Entry point of a task plugin, discovered through {@link java.util.ServiceLoader}: list the
 * implementation class in {@code META-INF/services/io.flinkplatform.spi.TaskPlugin}.
 *
 * <p>A plugin offers one or more {@link TaskType task types}, each identified by a unique id such
 * as {@code shell} or {@code flink_sql}. New methods are added with defaults so old plugins keep
 * working.
 */
public interface TaskPlugin {

  /** A short name for logs and error messages, e.g. {@code "shell"}. */
  default String name() {
    return getClass().getSimpleName();
  }

  /** The task types this plugin offers. Called once when the platform starts. */
  List<TaskType> taskTypes();

  /**
   * A class-path folder of versioned SQL migrations for the plugin's own tables, named like {@code
   * V1__create_datasource.sql}, e.g. {@code "io/example/tasks/db"}. The platform applies them with
   * Flyway after its own schema and before {@link #start}, honouring the host's schema mode, and
   * keeps a separate history table per plugin ({@code flink_platform_schema_history_<name>}).
   */
  default Optional<String> schemaLocation() {
    return Optional.empty();
  }

  /**
   * Called once when the platform starts, after the schema is in place and before any task runs. An
   * exception here fails the platform start.
   */
  default void start(PluginContext context) {}

  /**
   * Called once when the platform stops, after its workers have ended; release pools and threads
   * here. Exceptions are logged and otherwise ignored.
   */
  default void stop() {}

  /**
   * The REST operations this plugin offers in the platform's console (datasources, jobs, ...),
   * served below {@code /api/v1/workspaces/{ws}/} once the platform {@link #start started} it; see
   * {@link ApiOperation}. Called once after {@link #start}; none by default.
   */
  default List<ApiOperation> apiOperations() {
    return List.of();
  }
}
