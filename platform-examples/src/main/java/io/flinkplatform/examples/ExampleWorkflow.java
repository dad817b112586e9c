package io.flinkplatform.examples;

import io.flinkplatform.engine.dag.EdgeCondition;
import io.flinkplatform.engine.dag.RetryPolicy;
import io.flinkplatform.engine.dag.TriggerRule;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskState;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The example workflow {@value #NAME} and what a run of it is expected to end with.
 *
 * <pre>
 *                     ┌─ transform_orders ────┐
 *                     ├─ transform_customers ─┤ (fails once, succeeds on retry)
 *   extract ──────────┼─ transform_products ──┴─ report ─(on failure)─ notify_failure (SKIPPED)
 *   (##output rows=42)└─ validate (FAILED) ─(on failure)─ quarantine
 * </pre>
 *
 * Every task is a {@code shell} task. Outputs flow downstream as environment variables named {@code
 * UPSTREAM_<TASK>_<KEY>}; workflow parameters arrive as variables of their own name; {@code
 * PLATFORM_ATTEMPT} is the attempt number.
 */
public final class ExampleWorkflow {
  public static final String NAME = "daily_sales";

  /** What the example shows, for the terminal. */
  public static final String ABOUT =
      String.join(
          "\n",
          "The workflow " + NAME + " (8 shell tasks) shows:",
          "  - fan-out:  extract, then transform_orders, transform_customers, transform_products and",
          "              validate in parallel",
          "  - outputs:  extract prints '##output rows=42'; the tasks after it read $UPSTREAM_EXTRACT_ROWS",
          "  - a retry:  transform_customers fails on attempt 1 and succeeds on attempt 2",
          "  - a failure edge: validate fails; quarantine runs because of it (EdgeCondition.FAILURE)",
          "  - fan-in:   report waits for the three transforms (trigger rule ALL_MATCHED)",
          "  - a skipped task: notify_failure runs only if report fails, so it ends SKIPPED",
          "The run should end SUCCESS although validate failed: the FAILURE edge to quarantine handles",
          "that failure. A FAILED task without such an edge would fail the run.");

  private ExampleWorkflow() {}

  public static Workflow definition() {
    return Workflow.builder(NAME)
        .description("Extracts a day of sales, transforms it in parallel, validates it, reports.")
        .parameter("day", "2024-03-01")
        // a root task that publishes an output
        .task(
            "extract",
            "shell",
            t ->
                t.option(
                    "command",
                    script(
                        "echo \"extracting the sales of $day\"",
                        "sleep 0.6",
                        "echo '##output rows=42'")))
        // fan-out: four tasks after extract run in parallel
        .task(
            "transform_orders",
            "shell",
            t ->
                t.after("extract")
                    .option(
                        "command",
                        script(
                            "echo \"transforming $UPSTREAM_EXTRACT_ROWS orders\"",
                            "sleep 0.8",
                            "echo \"##output orders=$UPSTREAM_EXTRACT_ROWS\"")))
        .task(
            "transform_customers",
            "shell",
            t ->
                t.after("extract")
                    .retry(RetryPolicy.fixed(2, Duration.ofMillis(500)))
                    .option(
                        "command",
                        script(
                            "sleep 0.4",
                            "if [ \"$PLATFORM_ATTEMPT\" = 1 ]; then",
                            "  echo \"customer service timed out (attempt $PLATFORM_ATTEMPT)\" >&2",
                            "  exit 1",
                            "fi",
                            "echo \"customer service answered (attempt $PLATFORM_ATTEMPT)\"",
                            "echo '##output customers=17'")))
        .task(
            "transform_products",
            "shell",
            t ->
                t.after("extract")
                    .option("command", script("sleep 0.5", "echo '##output products=5'")))
        .task(
            "validate",
            "shell",
            t ->
                t.after("extract")
                    .option(
                        "command",
                        script(
                            "sleep 0.3",
                            "echo \"3 of $UPSTREAM_EXTRACT_ROWS rows have a negative amount\" >&2",
                            "exit 2")))
        // runs only because validate failed; this edge also "handles" validate's failure
        .task(
            "quarantine",
            "shell",
            t ->
                t.after("validate", EdgeCondition.FAILURE)
                    .option("env", Map.of("TARGET_TABLE", "sales_quarantine"))
                    .option(
                        "command",
                        script("echo \"moving the bad rows to $TARGET_TABLE\"", "sleep 0.4")))
        // fan-in: waits for all three transforms (validate is not an input of the report)
        .task(
            "report",
            "shell",
            t ->
                t.after("transform_orders", "transform_customers", "transform_products")
                    .triggerRule(TriggerRule.ALL_MATCHED)
                    .option(
                        "command",
                        script(
                            "sleep 0.5",
                            "echo \"##output summary=$UPSTREAM_TRANSFORM_ORDERS_ORDERS orders,"
                                + " $UPSTREAM_TRANSFORM_CUSTOMERS_CUSTOMERS customers,"
                                + " $UPSTREAM_TRANSFORM_PRODUCTS_PRODUCTS products\"")))
        // skipped: its only edge fires on failure, and report succeeds
        .task(
            "notify_failure",
            "shell",
            t ->
                t.after("report", EdgeCondition.FAILURE)
                    .option("command", "echo 'the daily report failed' >&2"))
        .build();
  }

  /** The state every task ends in. */
  public static Map<String, TaskState> expectedStates() {
    Map<String, TaskState> m = new LinkedHashMap<>();
    m.put("extract", TaskState.SUCCESS);
    m.put("transform_orders", TaskState.SUCCESS);
    m.put("transform_customers", TaskState.SUCCESS);
    m.put("transform_products", TaskState.SUCCESS);
    m.put("validate", TaskState.FAILED);
    m.put("quarantine", TaskState.SUCCESS);
    m.put("report", TaskState.SUCCESS);
    m.put("notify_failure", TaskState.SKIPPED);
    return m;
  }

  /** The number of attempts of each task (1 unless listed). */
  public static int expectedAttempts(String taskId) {
    return taskId.equals("transform_customers") ? 2 : 1;
  }

  /** Outputs the run is expected to produce, by task. */
  public static Map<String, Map<String, String>> expectedOutputs() {
    return Map.of(
        "extract", Map.of("rows", "42"),
        "report", Map.of("summary", "42 orders, 17 customers, 5 products"));
  }

  /**
   * SUCCESS: validate's failure is handled by its FAILURE edge to quarantine, so it does not fail
   * the run; a FAILED task without such an edge would.
   */
  public static RunState expectedRunState() {
    return RunState.SUCCESS;
  }

  private static String script(String... lines) {
    return String.join("\n", lines);
  }
}
