package io.flinkplatform.tasks.sql;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.spi.TaskConfig;
import io.flinkplatform.spi.TaskContext;
import io.flinkplatform.spi.TaskOption;
import io.flinkplatform.spi.TaskOutcome;
import io.flinkplatform.spi.TaskType;
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

  /** The dialect of the named datasource, when the plugin runs and the datasource exists. */
  private Optional<Dialect> datasourceDialect(TaskConfig config) {
    DatasourceRegistry current = registry;
    Optional<String> name = config.string(SqlOptions.DATASOURCE);
    if (current == null || name.isEmpty()) {
      return Optional.empty();
    }
    try {
      return current.get(name.get()).map(d -> d.type().dialect());
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
