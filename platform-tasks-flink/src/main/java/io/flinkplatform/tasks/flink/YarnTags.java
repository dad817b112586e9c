package io.flinkplatform.tasks.flink;

import org.apache.flink.api.common.JobID;

/**
 * How a YARN job's cluster is named: {@code yarn://<tag>}, the tag derived from the job id. Kept
 * apart from {@link YarnClusters} so that code which only asks "is this a YARN cluster?" never
 * loads a class of {@code flink-yarn}, which hosts without YARN targets need not have.
 */
final class YarnTags {
  static final String SCHEME = "yarn://";
  static final String TAG_PREFIX = "flink-platform-";

  private YarnTags() {}

  static boolean isYarn(String cluster) {
    return cluster.startsWith(SCHEME);
  }

  /** The tag (and so the identity) of a job's YARN application. */
  static String tag(JobID jobId) {
    return TAG_PREFIX + jobId.toHexString();
  }

  static String cluster(JobID jobId) {
    return SCHEME + tag(jobId);
  }

  static String tagOf(String cluster) {
    return cluster.substring(SCHEME.length());
  }
}
