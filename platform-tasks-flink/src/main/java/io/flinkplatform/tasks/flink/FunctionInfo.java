package io.flinkplatform.tasks.flink;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A user-defined function kept in {@code t_flink_function} and registered (as a temporary system
 * function) before the statements of the {@code flink_sql} tasks that name it.
 *
 * @param name the function's name in SQL
 * @param className the implementing class
 * @param jarUri the jar holding the class (a FileSystem URI), or empty if it is on the class path
 */
public record FunctionInfo(String name, String className, Optional<String> jarUri) {
  public FunctionInfo {
    requireNonNull(name, "name is null");
    requireNonNull(className, "className is null");
    requireNonNull(jarUri, "jarUri is null");
  }
}
