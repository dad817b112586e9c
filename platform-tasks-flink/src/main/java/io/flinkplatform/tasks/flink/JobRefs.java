package io.flinkplatform.tasks.flink;

import io.flinkplatform.spi.ExternalRef;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The engine's reference to an attempt's Flink job: the job id, with its target, cluster,
 * generation and (on YARN, once known) application id as attributes; or one of the two references
 * of attempts without a job.
 */
final class JobRefs {
  /** The reference of a script with no job (DDL only): it succeeded when it was prepared. */
  static final String NO_JOB = "no-job";

  /**
   * The reference of a task that failed validation before anything was submitted, as stored by
   * earlier versions (which could not fail a submission without retries); polls end it fatally.
   */
  static final String REJECTED = "rejected";

  /** The attribute of a YARN job's reference that holds its application id, once known. */
  static final String APPLICATION_ID = "application_id";

  private JobRefs() {}

  /** Whether {@code ref} names no job: {@link #NO_JOB} or {@link #REJECTED}. */
  static boolean isJobless(ExternalRef ref) {
    return ref.id().equals(NO_JOB) || ref.id().equals(REJECTED);
  }

  static ExternalRef of(FlinkJobInfo job, Optional<String> application) {
    Map<String, String> attributes = new TreeMap<>();
    attributes.put("target", job.target());
    attributes.put("cluster", job.cluster());
    attributes.put("generation", Integer.toString(job.generation()));
    application.ifPresent(a -> attributes.put(APPLICATION_ID, a));
    return new ExternalRef(job.jobId(), attributes);
  }

  /** The YARN application id of a YARN job, if its application is found. */
  static Optional<String> applicationId(FlinkRuntime rt, FlinkJobInfo job) {
    if (!YarnTags.isYarn(job.cluster())) {
      return Optional.empty();
    }
    try {
      return rt.clusters.yarn().find(job.cluster()).map(r -> r.getApplicationId().toString());
    } catch (Exception e) {
      return Optional.empty();
    }
  }
}
