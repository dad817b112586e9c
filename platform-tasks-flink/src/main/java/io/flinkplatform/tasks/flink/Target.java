package io.flinkplatform.tasks.flink;

import java.util.Arrays;
import java.util.Locale;

/** Where a job runs. */
enum Target {
  /** A MiniCluster inside this JVM, started on first use and stopped with the plugin. */
  LOCAL("local"),
  /** A running session cluster, reached through its REST endpoint ({@code rest.address}). */
  SESSION("session"),
  /** A YARN application cluster per job; the job's main runs in the cluster. */
  YARN_APPLICATION("yarn-application"),
  /** A YARN per-job cluster; the job graph is built here and shipped (deprecated by Flink). */
  YARN_PER_JOB("yarn-per-job");

  private final String id;

  Target(String id) {
    this.id = id;
  }

  String id() {
    return id;
  }

  boolean isYarn() {
    return this == YARN_APPLICATION || this == YARN_PER_JOB;
  }

  static String[] names() {
    return Arrays.stream(values()).map(Target::id).toArray(String[]::new);
  }

  static Target of(String id) {
    String wanted = id.trim().toLowerCase(Locale.ROOT);
    for (Target t : values()) {
      if (t.id.equals(wanted)) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "unknown Flink target '" + id + "'; use one of " + String.join(", ", names()));
  }
}
