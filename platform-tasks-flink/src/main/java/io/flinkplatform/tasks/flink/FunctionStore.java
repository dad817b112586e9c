package io.flinkplatform.tasks.flink;

import io.flinkplatform.spi.Jdbc;
import io.flinkplatform.spi.WorkspaceAccess;
import io.flinkplatform.spi.Workspaces;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code t_flink_function} table: the user-defined functions of each workspace that {@code
 * flink_sql} tasks name.
 */
final class FunctionStore {
  /** The kind of grant that lets another workspace's tasks use a function. */
  static final String KIND = "function";

  private final Jdbc jdbc;
  private final Clock clock;

  FunctionStore(Jdbc jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** Adds or replaces a function of the default workspace, without an audit row. */
  void put(FunctionInfo function) {
    Definitions.checkName("function", function.name());
    jdbc.call(
        "store function " + function.name(),
        c -> {
          upsert(c, Workspaces.DEFAULT, function, true);
          return null;
        });
  }

  /**
   * Adds or replaces a function of {@code workspace} and writes its audit row in the same
   * transaction; a function equal to the stored one changes nothing and writes no row.
   *
   * @return the function's version after the call
   */
  long save(String workspace, FunctionInfo function, Definitions.Auditor auditor) {
    Definitions.checkName("function", function.name());
    return Definitions.inTransaction(
        jdbc,
        "store function " + function.name(),
        c -> {
          Optional<Stored> old = lock(c, workspace, function.name());
          List<String> changed = new ArrayList<>();
          old.ifPresent(
              o -> {
                if (!o.function.className().equals(function.className())) {
                  changed.add("class_name");
                }
                if (!o.function.jarUri().equals(function.jarUri())) {
                  changed.add("jar_uri");
                }
              });
          if (old.isPresent() && changed.isEmpty()) {
            return old.get().version;
          }
          upsert(c, workspace, function, old.isPresent());
          long version = old.map(o -> o.version + 1).orElse(1L);
          auditor.audit(
              c,
              old.isEmpty() ? "function.create" : "function.update",
              "function:" + function.name(),
              old.isEmpty()
                  ? "version 1; class_name, jar_uri "
                      + (function.jarUri().isPresent() ? "set" : "none")
                  : "version " + version + "; changed " + changed);
          return version;
        });
  }

  /** Deletes a function of {@code workspace} with its audit row; false if there was none. */
  boolean delete(String workspace, String name, Definitions.Auditor auditor) {
    return Definitions.inTransaction(
        jdbc,
        "delete function " + name,
        c -> {
          Optional<Stored> old = lock(c, workspace, name);
          if (old.isEmpty()) {
            return false;
          }
          try (PreparedStatement s =
              c.prepareStatement("DELETE FROM t_flink_function WHERE workspace = ? AND name = ?")) {
            s.setString(1, workspace);
            s.setString(2, name);
            s.executeUpdate();
          }
          auditor.audit(
              c,
              "function.delete",
              "function:" + name,
              "version " + old.get().version + " deleted");
          return true;
        });
  }

  /** The functions of {@code workspace}, by name. */
  List<FunctionInfo> all(String workspace) {
    return jdbc.query(
        "read the functions of workspace " + workspace,
        "SELECT name, class_name, jar_uri FROM t_flink_function WHERE workspace = ? ORDER BY name",
        s -> s.setString(1, workspace),
        FunctionStore::function);
  }

  /** The named functions of the default workspace, in the order asked. */
  List<FunctionInfo> named(List<String> names) {
    return named(Workspaces.DEFAULT, names, null);
  }

  /**
   * The functions a task of {@code workspace} names, in the order asked, each under its plain name:
   * {@code name} is one of the workspace's, {@code owner/name} one {@code owner} granted (kind
   * {@value #KIND}; {@code access} asked again now, so a revoked grant fails here).
   *
   * @throws FlinkTaskException naming references that are not granted, or functions that do not
   *     exist
   */
  List<FunctionInfo> named(String workspace, List<String> refs, WorkspaceAccess access) {
    List<Workspaces.Ref> resolved =
        access == null
            ? refs.stream().map(r -> new Workspaces.Ref(workspace, r)).toList()
            : Definitions.resolve(workspace, FlinkOptions.FUNCTIONS, refs, KIND, access);
    Map<String, List<FunctionInfo>> byWorkspace = new LinkedHashMap<>();
    List<FunctionInfo> out = new ArrayList<>();
    for (Workspaces.Ref ref : resolved) {
      List<FunctionInfo> all = byWorkspace.computeIfAbsent(ref.workspace(), this::all);
      out.addAll(
          ByName.pick(
              List.of(ref.name()),
              all,
              FunctionInfo::name,
              "function",
              ref.isIn(Workspaces.DEFAULT)
                  ? "t_flink_function"
                  : "t_flink_function of workspace '" + ref.workspace() + "'",
              !ref.isIn(workspace)));
    }
    return out;
  }

  private record Stored(FunctionInfo function, long version) {}

  private Optional<Stored> lock(Connection c, String workspace, String name) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT name, class_name, jar_uri, version FROM t_flink_function"
                + " WHERE workspace = ? AND name = ? FOR UPDATE")) {
      s.setString(1, workspace);
      s.setString(2, name);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.of(new Stored(function(r), r.getLong(4))) : Optional.empty();
      }
    }
  }

  private void upsert(Connection c, String workspace, FunctionInfo function, boolean newVersion)
      throws SQLException {
    long now = clock.millis();
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO t_flink_function (workspace, name, class_name, jar_uri, version,"
                + " created_at, updated_at) VALUES (?,?,?,?,1,?,?) ON DUPLICATE KEY UPDATE"
                + " class_name = VALUES(class_name), jar_uri = VALUES(jar_uri),"
                + " version = version + ?, updated_at = VALUES(updated_at)")) {
      s.setString(1, workspace);
      s.setString(2, function.name());
      s.setString(3, function.className());
      s.setString(4, function.jarUri().orElse(null));
      s.setLong(5, now);
      s.setLong(6, now);
      s.setInt(7, newVersion ? 1 : 0);
      s.executeUpdate();
    }
  }

  private static FunctionInfo function(ResultSet r) throws SQLException {
    return new FunctionInfo(r.getString(1), r.getString(2), Optional.ofNullable(r.getString(3)));
  }
}
