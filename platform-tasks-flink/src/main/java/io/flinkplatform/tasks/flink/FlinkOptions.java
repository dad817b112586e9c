package io.flinkplatform.tasks.flink;

import io.flinkplatform.spi.OptionType;
import io.flinkplatform.spi.TaskOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The options of {@code flink_sql} and {@code flink_jar} tasks. */
final class FlinkOptions {
  static final String TARGET = "target";
  static final String MODE = "mode";
  static final String PARALLELISM = "parallelism";
  static final String JOB_NAME = "job_name";
  static final String FLINK_CONF = "flink_conf";
  static final String RESTORE_FROM = "restore_from";
  static final String ALLOW_NON_RESTORED_STATE = "allow_non_restored_state";
  static final String SAVEPOINT_DIR = "savepoint_dir";
  static final String ON_KILL = "on_kill";
  static final String MAX_RESTARTS = "max_restarts";
  static final String RESTART_BACKOFF = "restart_backoff";

  static final String SQL = "sql";
  static final String CATALOGS = "catalogs";
  static final String FUNCTIONS = "functions";

  static final String JAR = "jar";
  static final String MAIN_CLASS = "main_class";
  static final String ARGS = "args";
  static final String EXTRA_JARS = "extra_jars";

  static final String ON_KILL_CANCEL = "cancel";
  static final String ON_KILL_SAVEPOINT = "savepoint";
  static final String ON_KILL_SAVEPOINT_DRAIN = "savepoint_drain";
  static final String RESTORE_LATEST = "latest";
  static final String RESTORE_SAVEPOINT_PREFIX = "savepoint:";

  static final Duration DEFAULT_RESTART_BACKOFF = Duration.ofSeconds(10);

  private FlinkOptions() {}

  static List<TaskOption> common() {
    return List.of(
        TaskOption.optional(
                TARGET,
                OptionType.STRING,
                null,
                "where the job runs; the plugin setting flink.target (else local) when not given")
            .withAllowedValues(Target.names()),
        TaskOption.optional(MODE, OptionType.STRING, "streaming", "Flink runtime mode")
            .withAllowedValues("streaming", "batch"),
        TaskOption.optional(PARALLELISM, OptionType.INT, null, "default parallelism of the job"),
        TaskOption.optional(
            JOB_NAME, OptionType.STRING, null, "the Flink job name; <workflow>.<task> by default"),
        TaskOption.optional(
            FLINK_CONF,
            OptionType.STRING_MAP,
            null,
            "Flink configuration of this task, over the plugin settings flink.conf.*"),
        TaskOption.optional(
            RESTORE_FROM,
            OptionType.STRING,
            null,
            "state to start from: 'latest' (newest savepoint or retained checkpoint of this task),"
                + " 'savepoint:<id>', or a savepoint/checkpoint path"),
        TaskOption.optional(
            ALLOW_NON_RESTORED_STATE,
            OptionType.BOOLEAN,
            false,
            "skip state that maps to no operator when restoring"),
        TaskOption.optional(
            SAVEPOINT_DIR,
            OptionType.STRING,
            null,
            "where savepoints go; execution.checkpointing.savepoint-dir of the plugin settings when"
                + " not given"),
        TaskOption.optional(
                ON_KILL,
                OptionType.STRING,
                ON_KILL_CANCEL,
                "what a kill of the run does to the job")
            .withAllowedValues(ON_KILL_CANCEL, ON_KILL_SAVEPOINT, ON_KILL_SAVEPOINT_DRAIN),
        TaskOption.optional(
            MAX_RESTARTS,
            OptionType.INT,
            0,
            "how often the plugin resubmits a FAILED job from its latest state before the task"
                + " fails"),
        TaskOption.optional(
            RESTART_BACKOFF,
            OptionType.DURATION,
            DEFAULT_RESTART_BACKOFF,
            "wait before the first resubmission; doubles each time, at most 5 minutes"));
  }

  static List<TaskOption> sql() {
    List<TaskOption> out = new ArrayList<>();
    out.add(
        TaskOption.required(
            SQL, OptionType.STRING, "the Flink SQL script, statements separated by ';'"));
    out.add(
        TaskOption.optional(
            CATALOGS,
            OptionType.STRING_LIST,
            null,
            "catalogs from t_catalog_info registered before the script runs"));
    out.add(
        TaskOption.optional(
            FUNCTIONS,
            OptionType.STRING_LIST,
            null,
            "functions from t_flink_function registered before the script runs"));
    out.addAll(common());
    return List.copyOf(out);
  }

  static List<TaskOption> jar() {
    List<TaskOption> out = new ArrayList<>();
    out.add(
        TaskOption.required(
            JAR,
            OptionType.STRING,
            "the job's jar: a Hadoop FileSystem URI (file:// by default, hdfs://...)"));
    out.add(
        TaskOption.optional(
            MAIN_CLASS,
            OptionType.STRING,
            null,
            "the class whose main builds the job; the jar manifest's when not given"));
    out.add(TaskOption.optional(ARGS, OptionType.STRING_LIST, null, "arguments of main"));
    out.add(
        TaskOption.optional(
            EXTRA_JARS,
            OptionType.STRING_LIST,
            null,
            "more jars (UDFs, connectors) as FileSystem URIs, shipped with the job"));
    out.addAll(common());
    return List.copyOf(out);
  }
}
