package io.flinkplatform.tasks.sql;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.spi.OptionType;
import io.flinkplatform.spi.RawParameters;
import io.flinkplatform.spi.TaskConfig;
import io.flinkplatform.spi.TaskOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The options of the {@code sql} task type, declared for the engine and read back, already
 * validated, as one immutable value per attempt.
 *
 * @param datasource the registered datasource to run on
 * @param script the SQL script
 * @param transaction whether the whole script runs in one transaction
 * @param queryTimeout the longest one statement may run, if limited
 * @param rowLimit the most rows read from one result
 * @param outputRows how many first rows of the last query become outputs
 * @param dialect how to split the script; empty for the datasource type's own
 */
record SqlOptions(
    String datasource,
    String script,
    boolean transaction,
    Optional<Duration> queryTimeout,
    int rowLimit,
    int outputRows,
    Optional<Dialect> dialect) {

  static final String DATASOURCE = "datasource";
  static final String SCRIPT = "script";
  static final String TRANSACTION = "transaction";
  static final String QUERY_TIMEOUT = "queryTimeout";
  static final String ROW_LIMIT = "rowLimit";
  static final String OUTPUT_ROWS = "outputRows";
  static final String DIALECT = "dialect";

  static final int DEFAULT_ROW_LIMIT = 1000;
  static final int MAX_ROW_LIMIT = 100_000;
  static final int MAX_OUTPUT_ROWS = 100;

  static final List<TaskOption> DECLARED =
      List.of(
          TaskOption.required(
              DATASOURCE, OptionType.STRING, "Name of the registered datasource to run on."),
          TaskOption.required(
              SCRIPT,
              OptionType.STRING,
              "SQL statements separated by ';' (or a DELIMITER); ${name} binds a parameter as a"
                  + " value, ${raw:name} splices it as text."),
          TaskOption.optional(
              TRANSACTION,
              OptionType.BOOLEAN,
              false,
              "Run the whole script in one transaction: all statements commit, or none."),
          TaskOption.optional(
              QUERY_TIMEOUT,
              OptionType.DURATION,
              null,
              "The longest one statement may run; the task's own timeout also applies."),
          TaskOption.optional(
              ROW_LIMIT,
              OptionType.INT,
              DEFAULT_ROW_LIMIT,
              "The most rows read (and logged) from each result, 1 to " + MAX_ROW_LIMIT + "."),
          TaskOption.optional(
              OUTPUT_ROWS,
              OptionType.INT,
              1,
              "How many first rows of the last query become outputs, 0 to "
                  + MAX_OUTPUT_ROWS
                  + "."),
          TaskOption.optional(
                  DIALECT,
                  OptionType.STRING,
                  null,
                  "How the script is split; by default the datasource type's own.")
              .withAllowedValues(
                  Arrays.stream(Dialect.values()).map(Enum::name).toArray(String[]::new)),
          RawParameters.declaration(
              "Names that 'script' may splice as ${raw:name}: parameters, upstream.task.key or"
                  + " platform.*; the value becomes SQL, so list only names whose values you"
                  + " trust."));

  SqlOptions {
    requireNonNull(datasource, "datasource is null");
    requireNonNull(script, "script is null");
    requireNonNull(queryTimeout, "queryTimeout is null");
    requireNonNull(dialect, "dialect is null");
  }

  /** Reads a config that {@link SqlValidator#validate} accepted. */
  static SqlOptions from(TaskConfig config) {
    return new SqlOptions(
        config.requireString(DATASOURCE),
        config.requireString(SCRIPT),
        config.bool(TRANSACTION).orElse(false),
        config.duration(QUERY_TIMEOUT),
        config.integer(ROW_LIMIT).orElse(DEFAULT_ROW_LIMIT),
        config.integer(OUTPUT_ROWS).orElse(1),
        config.string(DIALECT).map(Dialect::valueOf));
  }
}
