package io.flinkplatform.spi;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The platform's authorization, grants and audit trail, for plugins that keep definitions of their
 * own (datasources, catalogs) or resolve names at run time ({@link PluginContext#access()}).
 *
 * <ul>
 *   <li>a change a person asks for: {@link #require} first, then write the change and {@link
 *       #audit} in the same transaction;
 *   <li>a name a task resolves in another workspace ({@code other/name}): {@link #granted} at
 *       deploy and again when the task runs, so a revoked grant stops it.
 * </ul>
 */
public interface WorkspaceAccess {

  /** Kinds of grant the platform knows; plugins may use their own lower-case words too. */
  String DATASOURCE = "datasource";

  String WORKFLOW = "workflow";
  String POOL = "pool";
  String LABEL = "label";
  String CATALOG = "catalog";

  /**
   * Checks that {@code actor} holds at least {@code role} in {@code workspace} (the system always
   * does).
   *
   * @param action what it asks for, e.g. {@code datasource.create}; named in the error and the
   *     audit trail
   * @throws AccessDeniedException naming the actor, workspace and action otherwise
   */
  void require(Actor actor, String workspace, Role role, String action);

  /**
   * Whether a workspace of that name exists; a plugin asks before it stores a definition in it, so
   * even the system actor cannot create things in a workspace nobody made. By default only {@link
   * Workspaces#DEFAULT} exists.
   */
  default boolean exists(String workspace) {
    return Workspaces.DEFAULT.equals(workspace);
  }

  /**
   * Whether {@code workspace} may use {@code ref} of kind {@code kind}: always for its own things,
   * for another workspace's only while that one grants it (or, for labels, the platform does).
   */
  boolean granted(String workspace, String kind, Workspaces.Ref ref);

  /**
   * Writes one audit row on {@code connection}, inside the caller's transaction, so the row and the
   * change commit or roll back together.
   *
   * @param target what was changed, e.g. {@code datasource:dw}
   * @param digest what changed, without any secret (names of changed fields, a version, a hash)
   */
  void audit(
      Connection connection,
      Actor actor,
      String workspace,
      String action,
      String target,
      String digest)
      throws SQLException;
}
