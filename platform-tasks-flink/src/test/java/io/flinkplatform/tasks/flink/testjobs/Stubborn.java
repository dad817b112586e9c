package io.flinkplatform.tasks.flink.testjobs;

/**
 * A jar "job" whose main never returns and ignores interrupts. It ends only when the system
 * property {@value #RELEASE} is set (by the test, when it is done), so no thread outlives the test
 * run.
 */
public final class Stubborn {
  public static final String RELEASE = "flink-platform.test.release-stubborn";

  private Stubborn() {}

  public static void main(String[] args) {
    while (!Boolean.getBoolean(RELEASE)) {
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        // ignored on purpose: this main does not let itself be stopped
      }
    }
  }
}
