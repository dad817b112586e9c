package io.flinkplatform.tasks.sql;

import static java.util.Objects.requireNonNull;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * The {@code t_datasource} table in the platform database. Every call is one statement; {@link
 * SQLException}s are wrapped once, here, in {@link DatasourceException}s that never hold a
 * password.
 */
final class DatasourceStore {
  private static final String COLUMNS =
      "name, type, url, username, properties, password_encrypted, password_secret, version,"
          + " created_at, updated_at";

  private final DataSource database;

  DatasourceStore(DataSource database) {
    this.database = requireNonNull(database, "database is null");
  }

  void insert(DatasourceRow row) {
    String sql = "INSERT INTO t_datasource (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    try (Connection c = database.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, row);
      s.executeUpdate();
    } catch (SQLIntegrityConstraintViolationException e) {
      throw new DatasourceException("datasource '" + row.name() + "' already exists");
    } catch (SQLException e) {
      if ("23000".equals(e.getSQLState())) {
        throw new DatasourceException("datasource '" + row.name() + "' already exists");
      }
      throw failed("create datasource '" + row.name() + "'", e);
    }
  }

  /** Updates all columns but the creation time and raises the version; false if there is none. */
  boolean update(DatasourceRow row) {
    String sql =
        "UPDATE t_datasource SET type = ?, url = ?, username = ?, properties = ?,"
            + " password_encrypted = ?, password_secret = ?, version = version + 1,"
            + " updated_at = ? WHERE name = ?";
    try (Connection c = database.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, row.type().name());
      s.setString(2, row.url());
      s.setString(3, row.user());
      s.setString(4, encode(row.properties()));
      s.setString(5, row.passwordEncrypted());
      s.setString(6, row.passwordSecret());
      s.setLong(7, row.updatedAt());
      s.setString(8, row.name());
      return s.executeUpdate() == 1;
    } catch (SQLException e) {
      throw failed("update datasource '" + row.name() + "'", e);
    }
  }

  /**
   * Replaces the stored password and properties of {@code row} with sealed forms of the same
   * values, if the row is still at its version; the version stays, as nothing a connection sees
   * changed.
   */
  boolean reseal(DatasourceRow row) {
    String sql =
        "UPDATE t_datasource SET password_encrypted = ?, properties = ?"
            + " WHERE name = ? AND version = ?";
    try (Connection c = database.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, row.passwordEncrypted());
      s.setString(2, encode(row.properties()));
      s.setString(3, row.name());
      s.setInt(4, row.version());
      return s.executeUpdate() == 1;
    } catch (SQLException e) {
      throw failed("re-encrypt datasource '" + row.name() + "'", e);
    }
  }

  /** The version of every datasource, by name. */
  Map<String, Integer> versions() {
    try (Connection c = database.getConnection();
        PreparedStatement s = c.prepareStatement("SELECT name, version FROM t_datasource");
        ResultSet rs = s.executeQuery()) {
      Map<String, Integer> versions = new TreeMap<>();
      while (rs.next()) {
        versions.put(rs.getString(1), rs.getInt(2));
      }
      return versions;
    } catch (SQLException e) {
      throw failed("list datasource versions", e);
    }
  }

  boolean delete(String name) {
    try (Connection c = database.getConnection();
        PreparedStatement s = c.prepareStatement("DELETE FROM t_datasource WHERE name = ?")) {
      s.setString(1, name);
      return s.executeUpdate() == 1;
    } catch (SQLException e) {
      throw failed("delete datasource '" + name + "'", e);
    }
  }

  Optional<DatasourceRow> find(String name) {
    try (Connection c = database.getConnection();
        PreparedStatement s =
            c.prepareStatement("SELECT " + COLUMNS + " FROM t_datasource WHERE name = ?")) {
      s.setString(1, name);
      List<DatasourceRow> rows = read(s);
      return rows.stream().findFirst();
    } catch (SQLException e) {
      throw failed("read datasource '" + name + "'", e);
    }
  }

  List<DatasourceRow> all() {
    try (Connection c = database.getConnection();
        PreparedStatement s =
            c.prepareStatement("SELECT " + COLUMNS + " FROM t_datasource ORDER BY name")) {
      return read(s);
    } catch (SQLException e) {
      throw failed("list datasources", e);
    }
  }

  private static void bind(PreparedStatement s, DatasourceRow row) throws SQLException {
    s.setString(1, row.name());
    s.setString(2, row.type().name());
    s.setString(3, row.url());
    s.setString(4, row.user());
    s.setString(5, encode(row.properties()));
    s.setString(6, row.passwordEncrypted());
    s.setString(7, row.passwordSecret());
    s.setInt(8, row.version());
    s.setLong(9, row.createdAt());
    s.setLong(10, row.updatedAt());
  }

  private static List<DatasourceRow> read(PreparedStatement s) throws SQLException {
    List<DatasourceRow> rows = new ArrayList<>();
    try (ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        rows.add(
            new DatasourceRow(
                rs.getString("name"),
                DatasourceType.parse(rs.getString("type")),
                rs.getString("url"),
                rs.getString("username"),
                decode(rs.getString("properties")),
                rs.getString("password_encrypted"),
                rs.getString("password_secret"),
                rs.getInt("version"),
                rs.getLong("created_at"),
                rs.getLong("updated_at")));
      }
    }
    return rows;
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

  private static DatasourceException failed(String what, SQLException e) {
    return new DatasourceException(
        "could not " + what + " in the platform database: " + e.getMessage(), e);
  }
}
