package io.flinkplatform.tasks.sql;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One row of {@code t_datasource}, password included in its stored form. Never leaves the package;
 * {@link #toString()} hides the stored password all the same.
 */
record DatasourceRow(
    String workspace,
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
    requireNonNull(workspace, "workspace is null");
    requireNonNull(name, "name is null");
    requireNonNull(type, "type is null");
    requireNonNull(url, "url is null");
    properties = Map.copyOf(requireNonNull(properties, "properties is null"));
  }

  /**
   * What a sealed value of this row is bound to: the row and every field that says where and how
   * its secrets are sent (type, URL, user, the properties kept in clear), and which value it is.
   * Changing any of them behind the registry's back makes the sealed values unusable. The workspace
   * is part of it outside the default workspace (rows of the default one keep the context they were
   * sealed with before workspaces), so a value copied to a same-named row of another workspace does
   * not open either.
   */
  String context(String what) {
    Map<String, String> clear = new TreeMap<>();
    properties.forEach(
        (k, v) -> {
          if (!Redaction.secretName(k)) {
            clear.put(k, v);
          }
        });
    return String.join(
        "\n",
        "t_datasource",
        io.flinkplatform.spi.Workspaces.DEFAULT.equals(workspace)
            ? name
            : "workspace=" + workspace + "\n" + name,
        type.name(),
        url,
        String.valueOf(user),
        DatasourceStore.encode(clear),
        what);
  }

  /** This row with the stored password and properties replaced. */
  DatasourceRow withStored(String passwordEncrypted, Map<String, String> properties) {
    return new DatasourceRow(
        workspace,
        name,
        type,
        url,
        user,
        properties,
        passwordEncrypted,
        passwordSecret,
        version,
        createdAt,
        updatedAt);
  }

  /** {@code name} in the default workspace, {@code workspace/name} elsewhere: for messages. */
  String qualified() {
    return io.flinkplatform.spi.Workspaces.DEFAULT.equals(workspace)
        ? name
        : workspace + "/" + name;
  }

  Datasource view() {
    Map<String, String> shown = new TreeMap<>();
    properties.forEach((k, v) -> shown.put(k, Redaction.secretName(k) ? Redaction.MASK : v));
    return new Datasource(
        name,
        type,
        url,
        Optional.ofNullable(user),
        shown,
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
