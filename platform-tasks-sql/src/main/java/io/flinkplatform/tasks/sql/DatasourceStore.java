package io.flinkplatform.tasks.sql;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.spi.Jdbc;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * The {@code t_datasource} table in the platform database. Every call is one statement; {@link
 * SQLException}s are wrapped once, by {@link Jdbc}, in {@link DatasourceException}s that never hold
 * a password.
 */
final class DatasourceStore {
  private static final String COLUMNS =
      "name, type, url, username, properties, password_encrypted, password_secret, version,"
          + " created_at, updated_at";

  private final Jdbc jdbc;

  DatasourceStore(DataSource database) {
    this.jdbc =
        new Jdbc(
            requireNonNull(database, "database is null"),
            (what, e) ->
                new DatasourceException(
                    "could not " + what + " in the platform database: " + e.getMessage(), e));
  }

  void insert(DatasourceRow row) {
    boolean inserted =
        jdbc.insertNew(
            "create datasource '" + row.name() + "'",
            "INSERT INTO t_datasource (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            s -> bind(s, row));
    if (!inserted) {
      throw new DatasourceException("datasource '" + row.name() + "' already exists");
    }
  }

  /** Updates all columns but the creation time and raises the version; false if there is none. */
  boolean update(DatasourceRow row) {
    return jdbc.update(
            "update datasource '" + row.name() + "'",
            "UPDATE t_datasource SET type = ?, url = ?, username = ?, properties = ?,"
                + " password_encrypted = ?, password_secret = ?, version = version + 1,"
                + " updated_at = ? WHERE name = ?",
            s -> {
              s.setString(1, row.type().name());
              s.setString(2, row.url());
              s.setString(3, row.user());
              s.setString(4, encode(row.properties()));
              s.setString(5, row.passwordEncrypted());
              s.setString(6, row.passwordSecret());
              s.setLong(7, row.updatedAt());
              s.setString(8, row.name());
            })
        == 1;
  }

  /**
   * Replaces the stored password and properties of {@code row} with sealed forms of the same
   * values, if the row is still at its version; the version stays, as nothing a connection sees
   * changed.
   */
  boolean reseal(DatasourceRow row) {
    return jdbc.update(
            "re-encrypt datasource '" + row.name() + "'",
            "UPDATE t_datasource SET password_encrypted = ?, properties = ?"
                + " WHERE name = ? AND version = ?",
            s -> {
              s.setString(1, row.passwordEncrypted());
              s.setString(2, encode(row.properties()));
              s.setString(3, row.name());
              s.setInt(4, row.version());
            })
        == 1;
  }

  /** The version of every datasource, by name. */
  Map<String, Integer> versions() {
    Map<String, Integer> versions = new TreeMap<>();
    jdbc.query(
            "list datasource versions",
            "SELECT name, version FROM t_datasource",
            Jdbc.none(),
            r -> Map.entry(r.getString(1), r.getInt(2)))
        .forEach(e -> versions.put(e.getKey(), e.getValue()));
    return versions;
  }

  boolean delete(String name) {
    return jdbc.update(
            "delete datasource '" + name + "'",
            "DELETE FROM t_datasource WHERE name = ?",
            s -> s.setString(1, name))
        == 1;
  }

  Optional<DatasourceRow> find(String name) {
    return jdbc.queryFirst(
        "read datasource '" + name + "'",
        "SELECT " + COLUMNS + " FROM t_datasource WHERE name = ?",
        s -> s.setString(1, name),
        DatasourceStore::row);
  }

  List<DatasourceRow> all() {
    return jdbc.query(
        "list datasources",
        "SELECT " + COLUMNS + " FROM t_datasource ORDER BY name",
        Jdbc.none(),
        DatasourceStore::row);
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

  private static DatasourceRow row(ResultSet rs) throws SQLException {
    return new DatasourceRow(
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
