package io.flinkplatform.spi;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * The one rule for which secrets a workflow or a plugin's stored object may name: the names and
 * prefixes the host allows with {@code Platform.builder().secretNames(...)}, by default {@value
 * #DEFAULT}. A pattern is a secret name ({@link Secrets#referenceName}: letters, digits, {@code _ .
 * - /}) or such a prefix followed by {@code *}; {@code *} alone is refused, so the host always
 * names what the platform may ask its secret source for. The platform checks it for every {@link
 * PluginContext#secret(String)} call and at deploy for secret task options; plugins check it where
 * they save a name ({@link PluginContext#secretNames()}).
 */
public final class SecretNames {
  /** The names allowed when the host gives none. */
  public static final String DEFAULT = "FP_SECRET_*";

  private static final String NAME = "[A-Za-z0-9_./-]{1,128}";
  private static final SecretNames DEFAULTS = new SecretNames(List.of(DEFAULT));

  private final List<String> patterns;

  private SecretNames(List<String> patterns) {
    this.patterns = List.copyOf(patterns);
  }

  /** Only {@value #DEFAULT}. */
  public static SecretNames defaults() {
    return DEFAULTS;
  }

  /**
   * The names and prefixes {@code patterns}.
   *
   * @throws IllegalArgumentException naming the pattern that is not a name or a prefix with {@code
   *     *}, or if none is given
   */
  public static SecretNames of(List<String> patterns) {
    requireNonNull(patterns, "patterns is null");
    if (patterns.isEmpty()) {
      throw new IllegalArgumentException("secretNames must list at least one name or prefix");
    }
    for (String p : patterns) {
      requireNonNull(p, "secret name pattern is null");
      String name = p.endsWith("*") ? p.substring(0, p.length() - 1) : p;
      if (!name.matches(NAME)) {
        throw new IllegalArgumentException(
            "secretNames must list names and prefixes ending in '*' (letters, digits, _ . - /;"
                + " not '*' alone) but holds '"
                + p
                + "'");
      }
    }
    return new SecretNames(patterns);
  }

  /** The patterns, in the order given. */
  public List<String> patterns() {
    return patterns;
  }

  /** Whether {@code name} is one of the names or starts with one of the prefixes. */
  public boolean allows(String name) {
    requireNonNull(name, "name is null");
    for (String p : patterns) {
      if (p.endsWith("*") ? name.startsWith(p.substring(0, p.length() - 1)) : name.equals(p)) {
        return true;
      }
    }
    return false;
  }

  /** Why {@code name} may not be used, naming it and the rule; empty if it is allowed. */
  public Optional<String> problem(String name) {
    return allows(name)
        ? Optional.empty()
        : Optional.of(
            "the secret '"
                + name
                + "' is not one the platform's secretNames allow: "
                + patterns
                + " (Platform.builder().secretNames(...))");
  }

  /**
   * @throws SecretNotAllowedException if {@code name} is not allowed
   */
  public void check(String name) {
    Optional<String> problem = problem(name);
    if (problem.isPresent()) {
      throw new SecretNotAllowedException(problem.get());
    }
  }

  @Override
  public String toString() {
    return String.join(",", patterns);
  }

  /** A secret name outside the allowed ones; the message names it and the rule. */
  public static final class SecretNotAllowedException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public SecretNotAllowedException(String message) {
      super(message);
    }
  }
}
