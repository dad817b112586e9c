package io.flinkplatform.tasks.sql;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * Resolves the password of a datasource that keeps a reference instead of the password itself
 * ({@link Password#fromSecret}). It is asked each time a connection pool is built, so a rotated
 * secret is picked up when the datasource next changes or the platform restarts. Implementations
 * must be thread-safe and must never log what they return.
 */
@FunctionalInterface
public interface SecretSource {

  /** The secret the reference names, or empty if there is none. */
  Optional<String> resolve(String reference);

  /**
   * The default source: the reference is the name of an environment variable (only names allowed by
   * {@code sql.secretNames} are ever asked). Shell tasks inherit the same environment: a host
   * running them should pass a source of its own.
   */
  static SecretSource environment() {
    return reference -> Optional.ofNullable(System.getenv(requireNonNull(reference, "reference")));
  }
}
