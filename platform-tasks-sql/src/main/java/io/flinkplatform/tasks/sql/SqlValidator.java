package io.flinkplatform.tasks.sql;

import static io.flinkplatform.tasks.sql.SqlOptions.DIALECT;
import static io.flinkplatform.tasks.sql.SqlOptions.MAX_OUTPUT_ROWS;
import static io.flinkplatform.tasks.sql.SqlOptions.MAX_ROW_LIMIT;
import static io.flinkplatform.tasks.sql.SqlOptions.OUTPUT_ROWS;
import static io.flinkplatform.tasks.sql.SqlOptions.QUERY_TIMEOUT;
import static io.flinkplatform.tasks.sql.SqlOptions.ROW_LIMIT;
import static io.flinkplatform.tasks.sql.SqlOptions.SCRIPT;

import io.flinkplatform.spi.RawParameters;
import io.flinkplatform.spi.TaskConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The checks of {@code sql} options beyond their types: ranges, and the script itself, split by the
 * dialect when it is known (given, or that of a registered datasource).
 */
final class SqlValidator {
  private SqlValidator() {}

  /** One sentence per problem, each naming its option; empty if the config is fine. */
  static List<String> validate(TaskConfig config, Optional<Dialect> datasourceDialect) {
    List<String> problems = new ArrayList<>();
    String script = config.string(SCRIPT).orElse("");
    if (script.isBlank()) {
      problems.add("'script' must not be blank");
    }
    problems.addAll(RawParameters.problems(config, SCRIPT, script, "the SQL"));
    int rowLimit = config.integer(ROW_LIMIT).orElse(SqlOptions.DEFAULT_ROW_LIMIT);
    if (rowLimit < 1 || rowLimit > MAX_ROW_LIMIT) {
      problems.add("'rowLimit' must be from 1 to " + MAX_ROW_LIMIT + " but is " + rowLimit);
    }
    int outputRows = config.integer(OUTPUT_ROWS).orElse(1);
    if (outputRows < 0 || outputRows > Math.min(MAX_OUTPUT_ROWS, rowLimit)) {
      problems.add(
          "'outputRows' must be from 0 to "
              + MAX_OUTPUT_ROWS
              + " and at most 'rowLimit' but is "
              + outputRows);
    }
    config
        .duration(QUERY_TIMEOUT)
        .filter(d -> d.isNegative() || d.isZero())
        .ifPresent(d -> problems.add("'queryTimeout' must be positive"));
    Optional<Dialect> dialect =
        config.string(DIALECT).map(Dialect::valueOf).or(() -> datasourceDialect);
    if (!script.isBlank() && dialect.isPresent()) {
      problems.addAll(checkScript(RawParameters.stub(script), dialect.get()));
    }
    return List.copyOf(problems);
  }

  /** Splits the script; returns its problems. */
  static List<String> checkScript(String script, Dialect dialect) {
    List<SqlStatement> statements;
    try {
      statements = ScriptParser.parse(script, dialect);
    } catch (ScriptException e) {
      return List.of("'script': " + e.getMessage());
    }
    if (statements.isEmpty()) {
      return List.of("'script' holds no statement, only blanks or comments");
    }
    List<String> problems = new ArrayList<>();
    if (dialect == Dialect.HIVE) {
      for (SqlStatement statement : statements) {
        if (statement.isSet() && !statement.parameters().isEmpty()) {
          problems.add(
              "'script': statement "
                  + statement.number()
                  + " (line "
                  + statement.line()
                  + ") binds ${"
                  + statement.parameters().get(0)
                  + "} in a SET, which Hive cannot prepare; use ${raw:"
                  + statement.parameters().get(0)
                  + "}");
        }
      }
    }
    return problems;
  }
}
