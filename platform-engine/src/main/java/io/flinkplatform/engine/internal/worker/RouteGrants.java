package io.flinkplatform.engine.internal.worker;

import io.flinkplatform.engine.internal.claim.Claim;
import io.flinkplatform.engine.internal.progress.Result;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.spi.WorkspaceAccess;
import io.flinkplatform.spi.Workspaces;
import java.util.Map;

/**
 * The run-time half of the label and pool grants: an attempt about to start whose task routes to a
 * worker label, or takes a slot of another workspace's pool, starts only while its run's workspace
 * still holds that grant. Deploy refuses what is not granted; this catches a grant revoked since.
 * Tasks without a label or a foreign pool cost nothing here.
 */
final class RouteGrants {
  private final WorkspaceAccess access;

  RouteGrants(WorkspaceAccess access) {
    this.access = access;
  }

  /** A failure (no retry: it cannot help until the grant is back) or null when it may start. */
  Result refusal(Claim claim, LogSink log) {
    String workspace = claim.run().workspace;
    String label = claim.attempt().label;
    if (label != null
        && !label.isEmpty()
        && !access.granted(workspace, WorkspaceAccess.LABEL, new Workspaces.Ref("", label))) {
      return refuse(
          claim, "label '" + label + "' is not granted to workspace '" + workspace + "'", log);
    }
    String pool = claim.attempt().pool;
    if (pool != null) {
      Workspaces.Ref ref = Workspaces.resolve(workspace, pool);
      if (!access.granted(workspace, WorkspaceAccess.POOL, ref)) {
        return refuse(
            claim,
            "pool '"
                + pool
                + "' of workspace '"
                + ref.workspace()
                + "' is no longer granted to workspace '"
                + workspace
                + "'",
            log);
      }
    }
    return null;
  }

  private static Result refuse(Claim claim, String why, LogSink log) {
    log.line(why);
    return Outcomes.result(claim, TaskState.FAILED, false, Map.of(), why, log);
  }
}
