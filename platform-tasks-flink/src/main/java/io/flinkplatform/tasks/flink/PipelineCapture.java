package io.flinkplatform.tasks.flink;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.dag.Pipeline;
import org.apache.flink.client.deployment.executors.PipelineExecutorUtils;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.PipelineOptionsInternal;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.PipelineExecutor;
import org.apache.flink.core.execution.PipelineExecutorFactory;
import org.apache.flink.core.execution.PipelineExecutorServiceLoader;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.streaming.api.graph.StreamGraph;

/**
 * A Flink executor that keeps the pipeline a program or a SQL script would run instead of running
 * it, so the plugin can turn it into a job graph with its own job id and submit it where it wants.
 * One instance per compilation; not thread-safe.
 */
final class PipelineCapture implements PipelineExecutorServiceLoader, PipelineExecutor {
  static final String TARGET_NAME = "flink-platform-capture";

  private Pipeline pipeline;
  private ClassLoader classLoader;
  private int executions;

  /** Points a configuration at this executor. */
  static Configuration target(Configuration conf) {
    Configuration out = new Configuration(conf);
    out.set(DeploymentOptions.TARGET, TARGET_NAME);
    out.set(DeploymentOptions.ATTACHED, false);
    return out;
  }

  boolean captured() {
    return pipeline != null;
  }

  int executions() {
    return executions;
  }

  /**
   * The job graph of the captured pipeline, with the given job id and configuration, its name
   * followed by {@code mark} (see {@link JobIds#mark}).
   */
  JobGraph jobGraph(Configuration conf, JobID jobId, String mark) throws Exception {
    return jobGraph(conf, Optional.empty(), jobId, mark);
  }

  /** As {@link #jobGraph(Configuration, JobID, String)}, replacing the program's job name. */
  JobGraph jobGraph(Configuration conf, Optional<String> name, JobID jobId, String mark)
      throws Exception {
    if (pipeline instanceof StreamGraph graph) {
      graph.setJobName(name.orElse(graph.getJobName()) + mark);
    }
    Configuration c = new Configuration(conf);
    c.set(PipelineOptionsInternal.PIPELINE_FIXED_JOB_ID, jobId.toHexString());
    return PipelineExecutorUtils.getJobGraph(pipeline, c, classLoader);
  }

  @Override
  public CompletableFuture<JobClient> execute(
      Pipeline pipeline, Configuration configuration, ClassLoader userCodeClassloader) {
    executions++;
    if (this.pipeline == null) {
      this.pipeline = pipeline;
      this.classLoader = userCodeClassloader;
    }
    return CompletableFuture.completedFuture(new Captured());
  }

  @Override
  public PipelineExecutorFactory getExecutorFactory(Configuration configuration) {
    PipelineExecutor self = this;
    return new PipelineExecutorFactory() {
      @Override
      public String getName() {
        return TARGET_NAME;
      }

      @Override
      public boolean isCompatibleWith(Configuration c) {
        return true;
      }

      @Override
      public PipelineExecutor getExecutor(Configuration c) {
        return self;
      }
    };
  }

  @Override
  public Stream<String> getExecutorNames() {
    return Stream.of(TARGET_NAME);
  }

  /** What the program sees as its job: nothing has been submitted yet. */
  private static final class Captured implements JobClient {
    private static final JobID PLACEHOLDER = new JobID(0, 0);

    @Override
    public JobID getJobID() {
      return PLACEHOLDER;
    }

    @Override
    public CompletableFuture<JobStatus> getJobStatus() {
      return CompletableFuture.completedFuture(JobStatus.INITIALIZING);
    }

    @Override
    public CompletableFuture<Void> cancel() {
      return unsupported();
    }

    @Override
    public CompletableFuture<String> stopWithSavepoint(
        boolean advanceToEndOfEventTime,
        String savepointDirectory,
        SavepointFormatType formatType) {
      return unsupported();
    }

    @Override
    public CompletableFuture<String> triggerSavepoint(
        String savepointDirectory, SavepointFormatType formatType) {
      return unsupported();
    }

    @Override
    public CompletableFuture<Map<String, Object>> getAccumulators() {
      return CompletableFuture.completedFuture(Map.of());
    }

    @Override
    public CompletableFuture<JobExecutionResult> getJobExecutionResult() {
      return unsupported();
    }

    private static <T> CompletableFuture<T> unsupported() {
      return CompletableFuture.failedFuture(
          new UnsupportedOperationException(
              "the job is submitted by the platform after the program returns"));
    }
  }
}
