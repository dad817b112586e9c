package io.flinkplatform.engine.access;

import java.util.List;
import java.util.Optional;

/**
 * What only a platform administrator may do ({@link Authorizer#isPlatformAdmin}, or the system):
 * create workspaces, grant worker labels to workspaces, read the audit trail of every workspace.
 * Get one with {@code Platform.admin(actor)}; every call checks the actor and every change is
 * written to the audit trail. Thread-safe.
 */
public interface PlatformAdmin {

  /**
   * Creates a workspace, with no members, no grants and no caps.
   *
   * @throws io.flinkplatform.engine.InvalidRequestException naming {@code name} if it breaks the
   *     workspace name rule ({@link io.flinkplatform.spi.Workspaces#NAME})
   * @throws io.flinkplatform.engine.ConflictException if it exists
   */
  WorkspaceInfo createWorkspace(String name, String description);

  /** Every workspace, by name. */
  List<WorkspaceInfo> workspaces();

  /** Lets the tasks of {@code workspace} run on instances with {@code label} ({@code *}: any). */
  void grantLabel(String workspace, String label);

  /** Takes a label back; tasks already deployed with it are refused at their next deploy. */
  boolean revokeLabel(String workspace, String label);

  /** A page of the audit trail of one workspace, or of all (and platform-wide rows) if empty. */
  List<AuditEntry> audit(Optional<String> workspace, AuditQuery query);

  /**
   * A workspace.
   *
   * @param name its name
   * @param description what it is for
   * @param caps its caps
   */
  record WorkspaceInfo(String name, String description, WorkspaceCaps caps) {}
}
