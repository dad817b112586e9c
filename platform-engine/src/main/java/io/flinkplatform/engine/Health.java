package io.flinkplatform.engine;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Whether one instance works, from {@link Platform#health()}: {@link Status#UP} when every check
 * is. The checks: {@code database} (a {@code SELECT 1} within {@link #DATABASE_TIMEOUT_SECONDS} s),
 * one per background loop ({@code loop:scheduler}, {@code loop:dispatcher}, ...: DOWN when it
 * completed no turn for five of its intervals; a loop stopped on purpose or not run by this
 * instance is UP) and {@code lease} (renewed within the lease duration). A health indicator of a
 * host framework (a Spring Boot actuator {@code HealthIndicator}) wraps this; see
 * docs/operations.md, "Health".
 *
 * @param status UP when every check is UP
 * @param checks every check, in a fixed order
 */
public record Health(Status status, List<Check> checks) {
  /** How long the database check waits for {@code SELECT 1}. */
  public static final int DATABASE_TIMEOUT_SECONDS = 2;

  /** UP or DOWN. */
  public enum Status {
    UP,
    DOWN
  }

  /**
   * One check.
   *
   * @param name {@code database}, {@code lease}, {@code completer} or {@code loop:<name>}
   * @param status its outcome
   * @param detail what was found, for the host's logs (not served by the console: it may name
   *     internals such as a database error)
   */
  public record Check(String name, Status status, String detail) {
    public Check {
      requireNonNull(name, "name is null");
      requireNonNull(status, "status is null");
      requireNonNull(detail, "detail is null");
    }
  }

  public Health {
    requireNonNull(status, "status is null");
    checks = List.copyOf(checks);
  }

  /** The health of these checks: UP when every one is. */
  public static Health of(List<Check> checks) {
    return new Health(
        checks.stream().allMatch(c -> c.status() == Status.UP) ? Status.UP : Status.DOWN, checks);
  }

  /** Whether the status is UP. */
  public boolean isUp() {
    return status == Status.UP;
  }

  /** The check of this name, if there is one. */
  public java.util.Optional<Check> check(String name) {
    return checks.stream().filter(c -> c.name().equals(name)).findFirst();
  }
}
