package io.flinkplatform.tasks.sql;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One row of {@code t_datasource}, password included in its stored form. Never leaves the package;
 * {@link #toString()} hides the stored password all the same.
 */
record DatasourceRow(
    String name,
    DatasourceType type,
    String url,
    String user,
    Map<String, String> properties,
    String passwordEncrypted,
    String passwordSecret,
    int version,
    long createdAt,
    long updatedAt) {

  DatasourceRow {
    requireNonNull(name, "name is null");
    requireNonNull(type, "type is null");
    requireNonNull(url, "url is null");
    properties = Map.copyOf(requireNonNull(properties, "properties is null"));
  }

  Datasource view() {
    return new Datasource(
        name,
        type,
        url,
        Optional.ofNullable(user),
        properties,
        passwordEncrypted != null
            ? Datasource.PasswordKind.ENCRYPTED
            : passwordSecret != null
                ? Datasource.PasswordKind.SECRET
                : Datasource.PasswordKind.NONE,
        Optional.ofNullable(passwordSecret),
        version,
        Instant.ofEpochMilli(createdAt),
        Instant.ofEpochMilli(updatedAt));
  }

  @Override
  public String toString() {
    return view().toString();
  }
}
