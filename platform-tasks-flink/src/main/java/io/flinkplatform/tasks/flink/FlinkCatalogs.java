package io.flinkplatform.tasks.flink;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.spi.AccessDeniedException;
import io.flinkplatform.spi.Actor;
import io.flinkplatform.spi.Role;
import io.flinkplatform.spi.WorkspaceAccess;
import java.util.List;
import java.util.Optional;

/**
 * The Flink catalogs of one workspace, as one actor sees them ({@link
 * FlinkTaskPlugin#catalogs(Actor, String)}). Reading needs the role {@link Role#VIEWER} there and
 * shows the values of secret-looking options masked; changes need {@link Role#EDITOR} and write one
 * audit row each ({@code catalog.create}, {@code catalog.update}, {@code catalog.delete}; target
 * {@code catalog:<name>}; the digest names the changed fields and the new version, never a value of
 * an option) in the transaction of the change. A refused call writes nothing.
 *
 * <p>Tasks of the workspace name its catalogs by their plain name; another workspace's tasks name
 * one as {@code <this-workspace>/<name>} once this workspace granted it ({@code
 * PlatformClient.grant(to, "catalog", name)}).
 */
public final class FlinkCatalogs {
  private final FlinkStore store;
  private final Actor actor;
  private final String workspace;

  FlinkCatalogs(FlinkStore store, Actor actor, String workspace) {
    this.store = store;
    this.actor = requireNonNull(actor, "actor is null");
    this.workspace = Definitions.checkWorkspace(requireNonNull(workspace, "workspace is null"));
  }

  /** The workspace these catalogs belong to. */
  public String workspace() {
    return workspace;
  }

  /**
   * Adds or replaces a catalog; storing one equal to the stored catalog changes nothing.
   *
   * @return the catalog's version after the call (1 when created)
   * @throws AccessDeniedException if the actor is not an editor of the workspace
   * @throws IllegalArgumentException if the name holds a slash or a line break, or a secret option
   *     holds the mask readers see
   * @throws IllegalStateException if a secret option is to be stored without a key ring
   */
  public long put(CatalogInfo catalog) {
    requireNonNull(catalog, "catalog is null");
    // a member learns whether the name exists (the action says create or update); others do not
    String action = "catalog.create";
    try {
      store.access.require(actor, workspace, Role.VIEWER, "catalog.read");
      if (store.catalogs.stored(workspace).stream()
          .anyMatch(c -> c.name().equals(catalog.name()))) {
        action = "catalog.update";
      }
    } catch (AccessDeniedException e) {
      // refused below, as a create
    }
    store.access.require(actor, workspace, Role.EDITOR, action);
    return store.catalogs.save(workspace, catalog, this::audit);
  }

  /**
   * Deletes a catalog; tasks that name it fail when they next run.
   *
   * @return false if there was none
   * @throws AccessDeniedException if the actor is not an editor of the workspace
   */
  public boolean delete(String name) {
    requireNonNull(name, "name is null");
    store.access.require(actor, workspace, Role.EDITOR, "catalog.delete");
    return store.catalogs.delete(workspace, name, this::audit);
  }

  /**
   * The workspace's catalogs by name, values of secret-looking options masked.
   *
   * @throws AccessDeniedException if the actor is not a member of the workspace
   */
  public List<CatalogInfo> list() {
    store.access.require(actor, workspace, Role.VIEWER, "catalog.read");
    return store.catalogs.stored(workspace).stream().map(CatalogStore::masked).toList();
  }

  /** One catalog of the workspace, values of secret-looking options masked. */
  public Optional<CatalogInfo> get(String name) {
    requireNonNull(name, "name is null");
    return list().stream().filter(c -> c.name().equals(name)).findFirst();
  }

  private void audit(java.sql.Connection c, String action, String target, String digest)
      throws java.sql.SQLException {
    store.access.audit(c, actor, workspace, action, target, digest);
  }

  /** The kind of grant that lets another workspace's tasks use a catalog. */
  public static final String GRANT_KIND = WorkspaceAccess.CATALOG;
}
