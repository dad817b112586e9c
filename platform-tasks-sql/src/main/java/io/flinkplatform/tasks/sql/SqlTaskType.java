package io.flinkplatform.tasks.sql;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.spi.TaskConfig;
import io.flinkplatform.spi.TaskContext;
import io.flinkplatform.spi.TaskOption;
import io.flinkplatform.spi.TaskOutcome;
import io.flinkplatform.spi.TaskType;
import io.flinkplatform.spi.Workspaces;
import java.util.List;
import java.util.Optional;

/**
 * The {@code sql} task type: runs a script on a registered datasource, statement by statement, with
 * bind parameters, an optional transaction, timeouts and cancellation. Stateless apart from the
 * registry its plugin attaches, so one instance serves many attempts at once.
 */
final class SqlTaskType implements TaskType {
  static final String ID = "sql";

  private volatile DatasourceRegistry registry;

  /** Called by the plugin when the platform starts it ({@code null} when it stops). */
  void attach(DatasourceRegistry registry) {
    this.registry = registry;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String description() {
    return "Runs a SQL script on a registered datasource, with bind parameters, an optional"
        + " transaction, timeouts and cancellation.";
  }

  @Override
  public List<TaskOption> options() {
    return SqlOptions.DECLARED;
  }

  @Override
  public List<String> validate(TaskConfig config) {
    return SqlValidator.validate(config, datasourceDialect(config));
  }

  /**
   * Checks the options as {@link #validate(TaskConfig)} does, and that the datasource the task
   * names exists in the workspace it resolves to ({@code name}: {@code workspace}; {@code
   * owner/name}: {@code owner}, which must grant it to {@code workspace}).
   */
  @Override
  public List<String> validate(TaskConfig config, String workspace) {
    DatasourceRegistry current = registry;
    Optional<String> name = config.string(SqlOptions.DATASOURCE);
    if (current == null || name.isEmpty()) {
      return validate(config);
    }
    Optional<Dialect> dialect = Optional.empty();
    List<String> problems = new java.util.ArrayList<>();
    try {
      Workspaces.Ref ref = current.check(workspace, name.get());
      dialect = Optional.of(current.resolve(ref).type().dialect());
    } catch (IllegalArgumentException | DatasourceNotGrantedException e) {
      problems.add("'" + SqlOptions.DATASOURCE + "': " + e.getMessage());
    } catch (DatasourceNotFoundException e) {
      Workspaces.Ref ref = Workspaces.resolve(workspace, name.get());
      problems.add(
          "'"
              + SqlOptions.DATASOURCE
              + "': datasource '"
              + ref.name()
              + "' does not exist in workspace '"
              + ref.workspace()
              + "'");
    } catch (DatasourceException e) {
      // the platform database failed: checked again when the task runs
    }
    problems.addAll(SqlValidator.validate(config, dialect));
    return List.copyOf(problems);
  }

  /** The dialect of the named datasource, when the plugin runs and the datasource exists. */
  private Optional<Dialect> datasourceDialect(TaskConfig config) {
    DatasourceRegistry current = registry;
    Optional<String> name = config.string(SqlOptions.DATASOURCE);
    if (current == null || name.isEmpty()) {
      return Optional.empty();
    }
    try {
      return current.get(name.get()).map(d -> d.type().dialect());
    } catch (io.flinkplatform.spi.AccessDeniedException | IllegalArgumentException e) {
      return Optional.empty();
    } catch (DatasourceException e) {
      return Optional.empty(); // checked again when the task runs
    }
  }

  @Override
  public TaskOutcome execute(TaskContext context) {
    requireNonNull(context, "context is null");
    DatasourceRegistry current = registry;
    if (current == null) {
      return TaskOutcome.failure(
          "the sql plugin is not started on this instance, so its datasources are unavailable");
    }
    List<String> problems = SqlValidator.validate(context.config(), Optional.empty());
    if (!problems.isEmpty()) {
      return TaskOutcome.fatal("invalid options: " + String.join("; ", problems));
    }
    return new SqlExecution(context, SqlOptions.from(context.config()), current).run();
  }
}
