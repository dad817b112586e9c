package io.flinkplatform.tasks.sql;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.spi.Jdbc;
import io.flinkplatform.spi.Workspaces;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * The {@code t_datasource} table in the platform database: datasources by workspace and name. A
 * change and its audit row are written in one transaction; reads are one statement each. {@link
 * SQLException}s are wrapped once, by {@link Jdbc}, in {@link DatasourceException}s that never hold
 * a password.
 */
final class DatasourceStore {
  private static final String COLUMNS =
      "workspace, name, type, url, username, properties, password_encrypted, password_secret,"
          + " version, created_at, updated_at, updated_by";

  /** Writes the audit row of a change on the change's connection, inside its transaction. */
  @FunctionalInterface
  interface Audit {
    void write(Connection connection) throws SQLException;

    /** Writes nothing: for platforms that keep no audit trail. */
    Audit NONE = c -> {};
  }

  private final Jdbc jdbc;

  DatasourceStore(DataSource database) {
    this.jdbc =
        new Jdbc(
            requireNonNull(database, "database is null"),
            (what, e) ->
                new DatasourceException(
                    "could not " + what + " in the platform database: " + e.getMessage(), e));
  }

  /**
   * Inserts {@code row} and writes its audit row in one transaction.
   *
   * @throws DatasourceException if the workspace has a datasource of that name already
   */
  void insert(DatasourceRow row, String by, Audit audit) {
    boolean inserted =
        tx(
            "create datasource '" + row.qualified() + "'",
            c -> {
              try (PreparedStatement s =
                  c.prepareStatement(
                      "INSERT INTO t_datasource ("
                          + COLUMNS
                          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                bind(s, row, by);
                s.executeUpdate();
              } catch (SQLException e) {
                if (Jdbc.isConstraintViolation(e)) {
                  return false;
                }
                throw e;
              }
              audit.write(c);
              return true;
            });
    if (!inserted) {
      throw new DatasourceException(
          "datasource '"
              + row.name()
              + "' already exists"
              + (Workspaces.DEFAULT.equals(row.workspace())
                  ? ""
                  : " in workspace '" + row.workspace() + "'"));
    }
  }

  /**
   * Updates all columns but the creation time and raises the version, if the row is still at {@code
   * version}, and writes its audit row in the same transaction; false if there is none (or it
   * changed meanwhile).
   */
  boolean update(DatasourceRow row, int version, String by, Audit audit) {
    return tx(
        "update datasource '" + row.qualified() + "'",
        c -> {
          int changed;
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE t_datasource SET type = ?, url = ?, username = ?, properties = ?,"
                      + " password_encrypted = ?, password_secret = ?, version = version + 1,"
                      + " updated_at = ?, updated_by = ? WHERE workspace = ? AND name = ?"
                      + " AND version = ?")) {
            s.setString(1, row.type().name());
            s.setString(2, row.url());
            s.setString(3, row.user());
            s.setString(4, encode(row.properties()));
            s.setString(5, row.passwordEncrypted());
            s.setString(6, row.passwordSecret());
            s.setLong(7, row.updatedAt());
            s.setString(8, by);
            s.setString(9, row.workspace());
            s.setString(10, row.name());
            s.setInt(11, version);
            changed = s.executeUpdate();
          }
          if (changed != 1) {
            c.rollback();
            return false;
          }
          audit.write(c);
          return true;
        });
  }

  /**
   * Replaces the stored password and properties of {@code row} with sealed forms of the same
   * values, if the row is still at its version, and writes its audit row in the same transaction;
   * the version stays, as nothing a connection sees changed.
   */
  boolean reseal(DatasourceRow row, Audit audit) {
    return tx(
        "re-encrypt datasource '" + row.qualified() + "'",
        c -> {
          int changed;
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE t_datasource SET password_encrypted = ?, properties = ?"
                      + " WHERE workspace = ? AND name = ? AND version = ?")) {
            s.setString(1, row.passwordEncrypted());
            s.setString(2, encode(row.properties()));
            s.setString(3, row.workspace());
            s.setString(4, row.name());
            s.setInt(5, row.version());
            changed = s.executeUpdate();
          }
          if (changed != 1) {
            c.rollback();
            return false;
          }
          audit.write(c);
          return true;
        });
  }

  /** The version of every datasource of every workspace. */
  Map<ConnectionPools.Key, Integer> versions() {
    Map<ConnectionPools.Key, Integer> versions = new HashMap<>();
    jdbc.query(
            "list datasource versions",
            "SELECT workspace, name, version FROM t_datasource",
            Jdbc.none(),
            r -> Map.entry(new ConnectionPools.Key(r.getString(1), r.getString(2)), r.getInt(3)))
        .forEach(e -> versions.put(e.getKey(), e.getValue()));
    return versions;
  }

  /** Deletes a datasource and writes its audit row in one transaction; false if there was none. */
  boolean delete(String workspace, String name, Audit audit) {
    return tx(
        "delete datasource '" + name + "' of workspace '" + workspace + "'",
        c -> {
          int deleted;
          try (PreparedStatement s =
              c.prepareStatement("DELETE FROM t_datasource WHERE workspace = ? AND name = ?")) {
            s.setString(1, workspace);
            s.setString(2, name);
            deleted = s.executeUpdate();
          }
          if (deleted != 1) {
            c.rollback();
            return false;
          }
          audit.write(c);
          return true;
        });
  }

  Optional<DatasourceRow> find(String workspace, String name) {
    return jdbc.queryFirst(
        "read datasource '" + name + "' of workspace '" + workspace + "'",
        "SELECT " + COLUMNS + " FROM t_datasource WHERE workspace = ? AND name = ?",
        s -> {
          s.setString(1, workspace);
          s.setString(2, name);
        },
        DatasourceStore::row);
  }

  /** The datasources of {@code workspace}, by name. */
  List<DatasourceRow> all(String workspace) {
    return jdbc.query(
        "list the datasources of workspace '" + workspace + "'",
        "SELECT " + COLUMNS + " FROM t_datasource WHERE workspace = ? ORDER BY name",
        s -> s.setString(1, workspace),
        DatasourceStore::row);
  }

  /** The datasources of every workspace, by workspace and name. */
  List<DatasourceRow> everywhere() {
    return jdbc.query(
        "list datasources",
        "SELECT " + COLUMNS + " FROM t_datasource ORDER BY workspace, name",
        Jdbc.none(),
        DatasourceStore::row);
  }

  /** Runs {@code work} in one transaction: commits what it did, or rolls back when it throws. */
  private <T> T tx(String what, Jdbc.Work<T> work) {
    return jdbc.call(
        what,
        c -> {
          c.setAutoCommit(false);
          try {
            T result = work.run(c);
            c.commit();
            return result;
          } catch (SQLException | RuntimeException e) {
            try {
              c.rollback();
            } catch (SQLException suppressed) {
              e.addSuppressed(suppressed);
            }
            throw e;
          } finally {
            c.setAutoCommit(true);
          }
        });
  }

  private static void bind(PreparedStatement s, DatasourceRow row, String by) throws SQLException {
    s.setString(1, row.workspace());
    s.setString(2, row.name());
    s.setString(3, row.type().name());
    s.setString(4, row.url());
    s.setString(5, row.user());
    s.setString(6, encode(row.properties()));
    s.setString(7, row.passwordEncrypted());
    s.setString(8, row.passwordSecret());
    s.setInt(9, row.version());
    s.setLong(10, row.createdAt());
    s.setLong(11, row.updatedAt());
    s.setString(12, by);
  }

  private static DatasourceRow row(ResultSet rs) throws SQLException {
    return new DatasourceRow(
        rs.getString("workspace"),
        rs.getString("name"),
        DatasourceType.parse(rs.getString("type")),
        rs.getString("url"),
        rs.getString("username"),
        decode(rs.getString("properties")),
        rs.getString("password_encrypted"),
        rs.getString("password_secret"),
        rs.getInt("version"),
        rs.getLong("created_at"),
        rs.getLong("updated_at"));
  }

  static String encode(Map<String, String> properties) {
    return new TreeMap<>(properties)
        .entrySet().stream()
            .map(e -> form(e.getKey()) + "=" + form(e.getValue()))
            .collect(Collectors.joining("&"));
  }

  static Map<String, String> decode(String text) {
    Map<String, String> properties = new TreeMap<>();
    if (text == null || text.isEmpty()) {
      return properties;
    }
    for (String pair : text.split("&")) {
      int eq = pair.indexOf('=');
      properties.put(
          URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return properties;
  }

  private static String form(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
