package io.flinkplatform.tasks.flink;

import io.flinkplatform.spi.Jdbc;
import io.flinkplatform.spi.WorkspaceAccess;
import io.flinkplatform.spi.Workspaces;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What catalogs and functions share: the names they may have, how a task's references to them
 * resolve in its workspace (plain names there, {@code owner/name} where the owner granted them),
 * and changes written in one transaction with their audit row.
 */
final class Definitions {
  /** Longest name of a catalog or function (the column is 128 characters). */
  static final int MAX_NAME = 128;

  private Definitions() {}

  /** Writes the audit row of a change on the change's connection. */
  @FunctionalInterface
  interface Auditor {
    void audit(Connection connection, String action, String target, String digest)
        throws SQLException;
  }

  /**
   * Checks the name a catalog or function is stored under.
   *
   * @throws IllegalArgumentException naming the field if it is blank, too long, or holds a slash
   *     (which names another workspace's) or a line break
   */
  static void checkName(String what, String name) {
    if (name.isBlank()
        || name.length() > MAX_NAME
        || name.indexOf('/') >= 0
        || name.indexOf('\n') >= 0
        || name.indexOf('\r') >= 0) {
      throw new IllegalArgumentException(
          what
              + " name '"
              + (name.length() > 40 ? name.substring(0, 40) + "..." : name)
              + "' is not allowed: use 1 to "
              + MAX_NAME
              + " characters without '/' (which names another workspace's "
              + what
              + ") or line breaks");
    }
  }

  /**
   * Checks the workspace a call names.
   *
   * @throws IllegalArgumentException naming the field otherwise
   */
  static String checkWorkspace(String workspace) {
    Workspaces.problem(workspace)
        .ifPresent(
            p -> {
              throw new IllegalArgumentException("workspace: " + p);
            });
    return workspace;
  }

  /** Runs {@code work} in one transaction: committed if it returns, rolled back if it throws. */
  static <T> T inTransaction(Jdbc jdbc, String what, Jdbc.Work<T> work) {
    return jdbc.call(
        what,
        c -> {
          c.setAutoCommit(false);
          try {
            T result = work.run(c);
            c.commit();
            return result;
          } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
          } finally {
            c.setAutoCommit(true);
          }
        });
  }

  /**
   * Why the references of option {@code option} cannot be used by a task of {@code workspace}:
   * malformed, naming another workspace's {@code kind} that workspace did not grant, or two
   * references that would have the same name in SQL.
   */
  static List<String> problems(
      String workspace, String option, List<String> refs, String kind, WorkspaceAccess access) {
    List<String> problems = new ArrayList<>();
    Map<String, String> sqlNames = new HashMap<>();
    for (String ref : refs) {
      Workspaces.Ref r;
      try {
        r = Workspaces.resolve(workspace, ref);
      } catch (IllegalArgumentException e) {
        problems.add("option '" + option + "': " + e.getMessage());
        continue;
      }
      String earlier = sqlNames.putIfAbsent(r.name(), ref);
      if (earlier != null) {
        problems.add(
            "option '"
                + option
                + "': '"
                + earlier
                + "' and '"
                + ref
                + "' would both be named "
                + r.name()
                + " in SQL");
      }
      if (!r.isIn(workspace) && !access.granted(workspace, kind, r)) {
        problems.add(notGranted(workspace, option, kind, r));
      }
    }
    return problems;
  }

  /**
   * The references of a task of {@code workspace}, resolved and checked again when the task runs.
   *
   * @throws FlinkTaskException with the first {@link #problems} if there are any
   */
  static List<Workspaces.Ref> resolve(
      String workspace, String option, List<String> refs, String kind, WorkspaceAccess access) {
    List<String> problems = problems(workspace, option, refs, kind, access);
    if (!problems.isEmpty()) {
      throw new FlinkTaskException(String.join("; ", problems));
    }
    return refs.stream().map(ref -> Workspaces.resolve(workspace, ref)).toList();
  }

  private static String notGranted(
      String workspace, String option, String kind, Workspaces.Ref ref) {
    return "option '"
        + option
        + "': workspace '"
        + ref.workspace()
        + "' does not grant "
        + kind
        + " '"
        + ref.name()
        + "' to workspace '"
        + workspace
        + "'";
  }
}
