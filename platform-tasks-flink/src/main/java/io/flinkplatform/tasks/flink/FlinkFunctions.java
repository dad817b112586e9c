package io.flinkplatform.tasks.flink;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.spi.AccessDeniedException;
import io.flinkplatform.spi.Actor;
import io.flinkplatform.spi.Role;
import java.util.List;
import java.util.Optional;

/**
 * The Flink user-defined functions of one workspace, as one actor sees them ({@link
 * FlinkTaskPlugin#functions(Actor, String)}). Reading needs the role {@link Role#VIEWER} there;
 * changes need {@link Role#EDITOR} and write one audit row each ({@code function.create}, {@code
 * function.update}, {@code function.delete}; target {@code function:<name>}; the digest names the
 * changed fields and the new version) in the transaction of the change. A refused call writes
 * nothing.
 *
 * <p>Tasks of the workspace name its functions by their plain name; another workspace's tasks name
 * one as {@code <this-workspace>/<name>} once this workspace granted it with the kind {@value
 * #GRANT_KIND} ({@code PlatformClient.grant(to, "function", name)}).
 */
public final class FlinkFunctions {
  /** The kind of grant that lets another workspace's tasks use a function. */
  public static final String GRANT_KIND = FunctionStore.KIND;

  private final FlinkStore store;
  private final Actor actor;
  private final String workspace;

  FlinkFunctions(FlinkStore store, Actor actor, String workspace) {
    this.store = store;
    this.actor = requireNonNull(actor, "actor is null");
    this.workspace = Definitions.checkWorkspace(requireNonNull(workspace, "workspace is null"));
  }

  /** The workspace these functions belong to. */
  public String workspace() {
    return workspace;
  }

  /**
   * Adds or replaces a function; storing one equal to the stored function changes nothing.
   *
   * @return the function's version after the call (1 when created)
   * @throws AccessDeniedException if the actor is not an editor of the workspace
   * @throws IllegalArgumentException if the name holds a slash or a line break
   */
  public long put(FunctionInfo function) {
    requireNonNull(function, "function is null");
    // a member learns whether the name exists (the action says create or update); others do not
    String action = "function.create";
    try {
      store.access.require(actor, workspace, Role.VIEWER, "function.read");
      if (store.functions.all(workspace).stream().anyMatch(f -> f.name().equals(function.name()))) {
        action = "function.update";
      }
    } catch (AccessDeniedException e) {
      // refused below, as a create
    }
    store.access.require(actor, workspace, Role.EDITOR, action);
    return store.functions.save(workspace, function, this::audit);
  }

  /**
   * Deletes a function; tasks that name it fail when they next run.
   *
   * @return false if there was none
   * @throws AccessDeniedException if the actor is not an editor of the workspace
   */
  public boolean delete(String name) {
    requireNonNull(name, "name is null");
    store.access.require(actor, workspace, Role.EDITOR, "function.delete");
    return store.functions.delete(workspace, name, this::audit);
  }

  /**
   * The workspace's functions by name.
   *
   * @throws AccessDeniedException if the actor is not a member of the workspace
   */
  public List<FunctionInfo> list() {
    store.access.require(actor, workspace, Role.VIEWER, "function.read");
    return store.functions.all(workspace);
  }

  /** One function of the workspace. */
  public Optional<FunctionInfo> get(String name) {
    requireNonNull(name, "name is null");
    return list().stream().filter(f -> f.name().equals(name)).findFirst();
  }

  private void audit(java.sql.Connection c, String action, String target, String digest)
      throws java.sql.SQLException {
    store.access.audit(c, actor, workspace, action, target, digest);
  }
}
