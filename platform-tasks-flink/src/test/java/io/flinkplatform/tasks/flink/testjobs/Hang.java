package io.flinkplatform.tasks.flink.testjobs;

/** A jar "job" whose main never builds a job: it waits until it is interrupted. */
public final class Hang {
  private Hang() {}

  public static void main(String[] args) throws InterruptedException {
    Thread.sleep(Long.MAX_VALUE);
  }
}
