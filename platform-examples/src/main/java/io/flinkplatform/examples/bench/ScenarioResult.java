package io.flinkplatform.examples.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * The figures of one scenario.
 *
 * @param name what ran
 * @param tasks task attempts that ran (one per task: nothing fails)
 * @param runs workflow runs triggered
 * @param succeeded runs that ended SUCCESS
 * @param triggering from the first trigger call until the last one returned
 * @param total from the first trigger until the last run ended
 * @param fromFirstClaim from the first claim of a task until the last run ended
 * @param commits server commit counters over the scenario
 */
public record ScenarioResult(
    String name,
    int tasks,
    int runs,
    long succeeded,
    Duration triggering,
    Duration total,
    Duration fromFirstClaim,
    DbCounters commits) {

  private static final String ROW = "%-26s %6s %12s %8s %8s %8s %9s %16s %12s%n";

  public boolean allSucceeded() {
    return succeeded == runs;
  }

  public double tasksPerSecond() {
    return perSecond(total);
  }

  public double tasksPerSecondFromFirstClaim() {
    return perSecond(fromFirstClaim);
  }

  public double comCommitPerTask() {
    return (double) commits.comCommit() / tasks;
  }

  /** InnoDB read-write transactions committed per task, or NaN if the metric is unavailable. */
  public double rwCommitsPerTask() {
    return commits.rwCommits() < 0 ? Double.NaN : (double) commits.rwCommits() / tasks;
  }

  private double perSecond(Duration d) {
    return d.isZero() ? Double.NaN : tasks * 1e9 / d.toNanos();
  }

  static void printTable(PrintStream out, List<ScenarioResult> results) {
    out.printf(
        ROW,
        "scenario",
        "tasks",
        "ok runs",
        "time",
        "tasks/s",
        "time*",
        "tasks/s*",
        "Com_commit/task",
        "rw-trx/task");
    for (ScenarioResult r : results) {
      out.printf(
          ROW,
          r.name,
          r.tasks,
          r.succeeded + "/" + r.runs,
          seconds(r.total),
          String.format("%.0f", r.tasksPerSecond()),
          seconds(r.fromFirstClaim),
          String.format("%.0f", r.tasksPerSecondFromFirstClaim()),
          String.format("%.2f", r.comCommitPerTask()),
          Double.isNaN(r.rwCommitsPerTask()) ? "n/a" : String.format("%.2f", r.rwCommitsPerTask()));
    }
    out.println("  *           from the first claim of a task instead of the first trigger");
    out.println("  Com_commit  COMMIT statements (SHOW GLOBAL STATUS), during the scenario");
    out.println(
        "  rw-trx      InnoDB read-write transactions committed, autocommit ones included"
            + " (INNODB_METRICS trx_commits_insert_update)");
    for (ScenarioResult r : results) {
      out.printf(
          "  %s: Com_commit +%d, rw-trx +%s, triggering took %s%n",
          r.name,
          r.commits.comCommit(),
          r.commits.rwCommits() < 0 ? "n/a" : r.commits.rwCommits(),
          seconds(r.triggering));
    }
  }

  private static String seconds(Duration d) {
    return String.format("%.2fs", d.toNanos() / 1e9);
  }
}
