package io.flinkplatform.tasks.logic;

import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.run.TaskState;
import java.util.HashMap;
import java.util.Map;

/** Helpers to read a run's tasks in tests. */
final class Runs {
  private Runs() {}

  /** The latest attempt of each task of a run. */
  static Map<String, TaskAttempt> latest(PlatformClient client, long runId) {
    Map<String, TaskAttempt> out = new HashMap<>();
    for (TaskAttempt a : client.attempts(runId)) {
      out.merge(a.taskId(), a, (x, y) -> x.attempt() >= y.attempt() ? x : y);
    }
    return out;
  }

  /** The latest state of each task of a run. */
  static Map<String, TaskState> states(PlatformClient client, long runId) {
    Map<String, TaskState> out = new HashMap<>();
    latest(client, runId).forEach((k, v) -> out.put(k, v.state()));
    return out;
  }
}
