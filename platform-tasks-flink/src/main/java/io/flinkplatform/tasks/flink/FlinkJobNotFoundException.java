package io.flinkplatform.tasks.flink;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.spi.ApiFailure;

/** No Flink job of that id belongs to the workspace asked in (the console answers 404). */
public final class FlinkJobNotFoundException extends IllegalArgumentException
    implements ApiFailure {
  private static final long serialVersionUID = 1L;
  private final String jobId;

  FlinkJobNotFoundException(String jobId, String workspace) {
    super("no Flink job " + jobId + " in workspace '" + workspace + "'");
    this.jobId = requireNonNull(jobId, "jobId is null");
  }

  /** The job id asked for. */
  public String jobId() {
    return jobId;
  }

  @Override
  public int status() {
    return 404;
  }
}
