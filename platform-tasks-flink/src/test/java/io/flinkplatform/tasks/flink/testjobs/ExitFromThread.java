package io.flinkplatform.tasks.flink.testjobs;

/**
 * A jar job whose main starts threads that call {@code System.exit}: one while main runs (main
 * waits for it), one after main has returned and the thread that ran it has ended. Each thread
 * records in a system property what its {@code System.exit} did: the class of what it threw, or
 * "returned" (never, in a JVM that survived it). Then main runs {@link SequenceJob} with args[0].
 */
public final class ExitFromThread {
  public static final String DURING = "flink-platform.test.exit-during-main";
  public static final String AFTER = "flink-platform.test.exit-after-main";

  private ExitFromThread() {}

  public static void main(String[] args) throws Exception {
    Thread caller = Thread.currentThread();
    Thread during = new Thread(() -> exit(DURING), "exit-during-main");
    during.start();
    during.join();
    Thread after =
        new Thread(
            () -> {
              try {
                caller.join();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              exit(AFTER);
            },
            "exit-after-main");
    after.setDaemon(true);
    after.start();
    SequenceJob.main(args);
  }

  private static void exit(String property) {
    try {
      System.exit(3);
      System.setProperty(property, "returned");
    } catch (Throwable t) {
      System.setProperty(property, t.getClass().getName());
    }
  }
}
