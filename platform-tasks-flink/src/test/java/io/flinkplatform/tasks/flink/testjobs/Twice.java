package io.flinkplatform.tasks.flink.testjobs;

import org.apache.flink.table.functions.ScalarFunction;

/** A scalar function for tests: {@code twice(x) = 2 * x}. */
public final class Twice extends ScalarFunction {
  public Long eval(Long x) {
    return x == null ? null : 2 * x;
  }
}
