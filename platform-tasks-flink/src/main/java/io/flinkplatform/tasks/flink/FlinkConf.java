package io.flinkplatform.tasks.flink;

import static io.flinkplatform.tasks.flink.FlinkOptions.FLINK_CONF;
import static io.flinkplatform.tasks.flink.FlinkOptions.JOB_NAME;
import static io.flinkplatform.tasks.flink.FlinkOptions.MODE;
import static io.flinkplatform.tasks.flink.FlinkOptions.PARALLELISM;
import static io.flinkplatform.tasks.flink.FlinkOptions.RESTORE_FROM;
import static io.flinkplatform.tasks.flink.FlinkOptions.SAVEPOINT_DIR;
import static io.flinkplatform.tasks.flink.FlinkOptions.TARGET;

import io.flinkplatform.spi.TaskConfig;
import io.flinkplatform.spi.TaskContext;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;

/**
 * Where and how an attempt's job runs, as its task configures it: the layered Flink configuration
 * (platform defaults &lt; environment &lt; {@code flink_conf} &lt; task options; SQL {@code SET}
 * comes later), the target, and the state {@code restore_from} points to.
 */
final class FlinkConf {
  private final FlinkRuntime rt;
  private final TaskContext ctx;

  FlinkConf(FlinkRuntime rt, TaskContext ctx) {
    this.rt = rt;
    this.ctx = ctx;
  }

  /**
   * What a task may not configure, as of deploy: the keys of {@code flink_conf} that {@code keys}
   * refuses.
   */
  static List<String> problems(TaskConfig config, ConfKeys keys) {
    return keys.problems(FLINK_CONF, config.stringMap(FLINK_CONF));
  }

  /** The configuration of the attempt's job. */
  Configuration layered() throws Rejected {
    TaskConfig tc = ctx.config();
    List<String> refused = problems(tc, rt.settings.confKeys());
    if (!refused.isEmpty()) {
      throw new Rejected(String.join("; ", refused));
    }
    Configuration conf = rt.settings.environment();
    conf.addAll(Configuration.fromMap(tc.stringMap(FLINK_CONF)));
    conf.set(
        ExecutionOptions.RUNTIME_MODE,
        "batch".equals(tc.string(MODE).orElse("streaming"))
            ? RuntimeExecutionMode.BATCH
            : RuntimeExecutionMode.STREAMING);
    tc.integer(PARALLELISM).ifPresent(p -> conf.set(CoreOptions.DEFAULT_PARALLELISM, p));
    conf.set(
        PipelineOptions.NAME, tc.string(JOB_NAME).orElse(ctx.workflowName() + "." + ctx.taskId()));
    tc.string(SAVEPOINT_DIR).ifPresent(d -> conf.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, d));
    return conf;
  }

  Target target() {
    return ctx.config().string(TARGET).map(Target::of).orElse(rt.settings.defaultTarget());
  }

  /** Where {@code restore_from} points, if anywhere. */
  Optional<String> restorePath() throws Rejected {
    Optional<String> option = ctx.config().string(RESTORE_FROM).map(String::trim);
    if (option.isEmpty() || option.get().isEmpty()) {
      return Optional.empty();
    }
    String v = option.get();
    if (v.equals(FlinkOptions.RESTORE_LATEST)) {
      Optional<String> latest =
          rt.store.savepoints.ofTask(ctx.workspace(), ctx.workflowName(), ctx.taskId()).stream()
              .findFirst()
              .map(SavepointRecord::path);
      if (latest.isEmpty()) {
        ctx.log()
            .line("restore_from 'latest': no savepoint of this task yet; starting without state");
      }
      return latest;
    }
    if (v.startsWith(FlinkOptions.RESTORE_SAVEPOINT_PREFIX)) {
      String id = v.substring(FlinkOptions.RESTORE_SAVEPOINT_PREFIX.length());
      try {
        return Optional.of(
            rt.store
                .savepoints
                .find(ctx.workspace(), Long.parseLong(id))
                .orElseThrow(
                    () -> new Rejected("restore_from: savepoint " + id + " does not exist"))
                .path());
      } catch (NumberFormatException e) {
        throw new Rejected(
            "restore_from: '"
                + v
                + "' is not savepoint:<id> with a numeric id; use 'latest',"
                + " 'savepoint:<id>' or a path");
      }
    }
    return Optional.of(v);
  }
}
