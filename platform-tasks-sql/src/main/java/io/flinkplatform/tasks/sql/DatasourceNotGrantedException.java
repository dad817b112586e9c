package io.flinkplatform.tasks.sql;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.spi.Workspaces;

/**
 * A task names another workspace's datasource ({@code owner/name}) that the owner has not granted
 * to the task's workspace, or no longer does: refused at deploy, and when a run resolves it again
 * after the grant was revoked, before any connection is opened.
 */
public final class DatasourceNotGrantedException extends DatasourceException {
  private static final long serialVersionUID = 1L;

  private final String workspace;
  private final String owner;
  private final String name;

  DatasourceNotGrantedException(String workspace, Workspaces.Ref ref) {
    super(
        "datasource '"
            + requireNonNull(ref, "ref is null").qualified()
            + "' is not granted to workspace '"
            + requireNonNull(workspace, "workspace is null")
            + "': an admin of workspace '"
            + ref.workspace()
            + "' grants it with grant(\""
            + workspace
            + "\", \"datasource\", \""
            + ref.name()
            + "\")");
    this.workspace = workspace;
    this.owner = ref.workspace();
    this.name = ref.name();
  }

  /** The workspace whose task asked for it. */
  public String workspace() {
    return workspace;
  }

  /** The workspace the datasource belongs to. */
  public String owner() {
    return owner;
  }

  /** The datasource's name in its workspace. */
  public String name() {
    return name;
  }
}
