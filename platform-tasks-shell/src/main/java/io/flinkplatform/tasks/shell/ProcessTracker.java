package io.flinkplatform.tasks.shell;

import io.flinkplatform.spi.TaskContext;
import io.flinkplatform.spi.TaskLog;
import java.time.Duration;

/**
 * Keeps a record of the process trees of running attempts, so that an attempt run again after a
 * failover can end what the dead claim left running on the same host. Thread-safe. Problems are
 * written to the attempt's log; they never fail the attempt.
 */
interface ProcessTracker {

  /** Tracks nothing: used until the plugin is started with a database. */
  ProcessTracker NONE =
      new ProcessTracker() {
        @Override
        public void endSurvivors(TaskContext context, TaskLog log) {}

        @Override
        public long track(
            TaskContext context, ProcessIdentity root, String token, Duration grace, TaskLog log) {
          return 0;
        }

        @Override
        public void untrack(long id, TaskLog log) {}
      };

  /**
   * Ends the processes that earlier claims of this attempt's task in this run left running on this
   * host: those whose supervising JVM is gone, and those of an older epoch or attempt.
   */
  void endSurvivors(TaskContext context, TaskLog log);

  /** Records a started tree; returns the id to hand to {@link #untrack}, or 0 if not recorded. */
  long track(TaskContext context, ProcessIdentity root, String token, Duration grace, TaskLog log);

  /** Forgets a tree that has ended. Does nothing for id 0. */
  void untrack(long id, TaskLog log);
}
