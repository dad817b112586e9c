package io.flinkplatform.tasks.sql;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A registered datasource, as {@link DatasourceRegistry#list()} shows it: everything but the
 * password; values of properties whose names look secret read {@code ******}.
 *
 * @param name the unique name tasks refer to
 * @param type the kind of database
 * @param url the JDBC URL
 * @param user the user name, if any
 * @param properties driver properties, sorted by name, secret-looking values masked
 * @param password how the password is kept
 * @param secretReference the reference resolved by the secret source, for {@link
 *     PasswordKind#SECRET}
 * @param version starts at 1 and grows with every update; pools are rebuilt when it changes
 * @param createdAt when it was created
 * @param updatedAt when it was last changed
 */
public record Datasource(
    String name,
    DatasourceType type,
    String url,
    Optional<String> user,
    Map<String, String> properties,
    PasswordKind password,
    Optional<String> secretReference,
    int version,
    Instant createdAt,
    Instant updatedAt) {

  /** How a datasource's password is kept. */
  public enum PasswordKind {
    NONE,
    /** Sealed with the platform's key ring (or, written by earlier versions, {@code v1:}). */
    ENCRYPTED,
    /** A reference resolved by the platform's secret source. */
    SECRET
  }

  public Datasource {
    requireNonNull(name, "name is null");
    requireNonNull(type, "type is null");
    requireNonNull(url, "url is null");
    requireNonNull(user, "user is null");
    properties = java.util.Collections.unmodifiableMap(new TreeMap<>(properties));
    requireNonNull(password, "password is null");
    requireNonNull(secretReference, "secretReference is null");
    requireNonNull(createdAt, "createdAt is null");
    requireNonNull(updatedAt, "updatedAt is null");
  }

  @Override
  public String toString() {
    return "Datasource{name="
        + name
        + ", type="
        + type
        + ", url="
        + Redaction.url(url)
        + ", user="
        + user.orElse(null)
        + ", properties="
        + Redaction.properties(properties)
        + ", password="
        + password
        + secretReference.map(r -> " " + r).orElse("")
        + ", version="
        + version
        + "}";
  }
}
