package io.flinkplatform.tasks.flink.testjobs;

/** A jar "job" whose main ends the JVM it runs in, as a careless command-line program would. */
public final class Exit {
  private Exit() {}

  public static void main(String[] args) {
    System.exit(1);
  }
}
