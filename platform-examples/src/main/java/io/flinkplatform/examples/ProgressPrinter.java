package io.flinkplatform.examples;

import io.flinkplatform.engine.dag.TaskDefinition;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.event.PlatformEvent;
import io.flinkplatform.engine.event.PlatformEvent.RunStateChanged;
import io.flinkplatform.engine.event.PlatformEvent.TaskStateChanged;
import io.flinkplatform.engine.event.PlatformListener;
import io.flinkplatform.engine.run.TaskState;
import java.io.PrintStream;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A listener that prints one line per task state change of a workflow's run as it happens, with the
 * tasks running at that moment and how many are done, and lets the caller wait for the run's end.
 * Events arrive on engine threads, so printing is synchronized.
 */
final class ProgressPrinter implements PlatformListener {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());
  private static final String ROW = "%-12s  %-20s  %-14s  %7s  %4s  %s%n";

  private final PrintStream out;
  private final Workflow workflow;
  private final Map<String, TaskState> latest = new LinkedHashMap<>();
  private final CountDownLatch ended = new CountDownLatch(1);

  ProgressPrinter(PrintStream out, Workflow workflow) {
    this.out = out;
    this.workflow = workflow;
    workflow.tasks().forEach(t -> latest.put(t.id(), TaskState.WAITING));
  }

  synchronized void printHeader() {
    out.printf(ROW, "TIME", "TASK", "NEW STATE", "ATTEMPT", "DONE", "RUNNING NOW");
  }

  @Override
  public synchronized void onEvent(PlatformEvent event) {
    if (event instanceof TaskStateChanged t && latest.containsKey(t.taskId())) {
      boolean retrying = t.state() == TaskState.FAILED && willRetry(t.taskId(), t.attempt());
      latest.put(t.taskId(), retrying ? TaskState.READY : t.state());
      String state = retrying ? "FAILED, retry" : t.state().name();
      List<String> running =
          latest.entrySet().stream()
              .filter(e -> e.getValue() == TaskState.RUNNING)
              .map(Map.Entry::getKey)
              .toList();
      long done = latest.values().stream().filter(TaskState::isFinal).count();
      out.printf(
          ROW,
          TIME.format(t.at()),
          t.taskId(),
          state,
          t.attempt(),
          done + "/" + latest.size(),
          running.isEmpty() ? "-" : String.join(", ", running));
      if (t.state() == TaskState.FAILED && t.message() != null) {
        out.printf("%14s└ %s%n", "", RunReport.oneLine(t.message(), 100));
      }
    } else if (event instanceof RunStateChanged r && r.workflowName().equals(workflow.name())) {
      out.printf(
          "%-12s  run %d of %s: %s%n", TIME.format(r.at()), r.runId(), r.workflowName(), r.state());
      if (r.state().isFinal()) {
        ended.countDown();
      }
    } else if (event instanceof PlatformEvent.UnexpectedError e) {
      out.println("unexpected error in " + e.loop() + ": " + e.error());
    }
  }

  /** Waits until the run's final state was printed. */
  boolean awaitEnd(Duration timeout) throws InterruptedException {
    return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private boolean willRetry(String taskId, int attempt) {
    return workflow
        .task(taskId)
        .map(TaskDefinition::retry)
        .map(r -> attempt <= r.maxRetries())
        .orElse(false);
  }
}
