package io.flinkplatform.tasks.flink;

import io.flinkplatform.spi.TaskConfig;
import io.flinkplatform.spi.TaskContext;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.jobgraph.JobGraph;

/**
 * What makes one Flink task type differ from the other: how its options are checked at deploy and
 * turned into a job ({@link SqlTaskCompiler} for {@code flink_sql}, {@link JarTaskCompiler} for
 * {@code flink_jar}). Everything else a {@link FlinkTaskType} does is the same for both.
 */
interface JobCompiler {
  /** The problems of the type's own options, as of deploy; {@code keys} says what SET may set. */
  List<String> problems(TaskConfig config, ConfKeys keys);

  /**
   * The job graph of the task, its name followed by {@code mark} ({@link JobIds#mark}), or empty if
   * it has nothing to run.
   */
  Optional<JobGraph> compile(
      TaskContext ctx, FlinkRuntime rt, Configuration conf, JobID id, String mark)
      throws Rejected, Exception;

  /**
   * The program of a YARN application cluster: the cluster runs its main, which builds the job with
   * the fixed job id of {@code conf}. Sets {@code pipeline.jars} (and ship files) in {@code conf};
   * {@link Prepared#NOTHING} if the task has no job to run.
   */
  Prepared application(TaskContext ctx, FlinkRuntime rt, Configuration conf, JobID id)
      throws Rejected, Exception;
}
