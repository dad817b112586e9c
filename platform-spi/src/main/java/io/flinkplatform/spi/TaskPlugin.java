package io.flinkplatform.spi;

import java.util.List;

/**
 * Entry point of a task plugin, discovered through {@link java.util.ServiceLoader}: list the
 * implementation class in {@code META-INF/services/io.flinkplatform.spi.TaskPlugin}.
 *
 * <p>A plugin offers one or more {@link TaskType task types}, each identified by a unique id such
 * as {@code shell} or {@code flink_sql}. New methods are added with defaults so old plugins keep
 * working.
 */
public interface TaskPlugin {

  /** A short name for logs and error messages, e.g. {@code "shell"}. */
  default String name() {
    return getClass().getSimpleName();
  }

  /** The task types this plugin offers. Called once when the platform starts. */
  List<TaskType> taskTypes();
}
