package io.flinkplatform.tasks.flink;

/**
 * A task that can never run as configured (a script that does not plan, a jar whose main builds no
 * job, an unknown savepoint): it fails without retries before anything is submitted.
 */
final class Rejected extends Exception {
  private static final long serialVersionUID = 1L;

  Rejected(String message) {
    super(message);
  }
}
