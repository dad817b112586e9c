/**
 * The {@code flink} task plugin: {@code flink_sql} and {@code flink_jar} tasks that run Flink jobs
 * on a local MiniCluster, a session cluster or YARN, submitted through the Flink client API with a
 * deterministic job id per attempt, tracked without holding a thread, re-attached after a failover,
 * and with savepoints kept as records. The public types are {@link
 * io.flinkplatform.tasks.flink.FlinkTaskPlugin} (register it with the platform) and {@link
 * io.flinkplatform.tasks.flink.FlinkJobs} (savepoints, catalogs and job state for the host).
 */
package io.flinkplatform.tasks.flink;
