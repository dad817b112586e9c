package io.flinkplatform.tasks.flink;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * The YARN application of a job on a YARN target, as YARN reports it now.
 *
 * @param applicationId e.g. {@code application_1700000000000_0042}
 * @param name the application's name
 * @param state YARN's application state ({@code ACCEPTED}, {@code RUNNING}, {@code FINISHED},
 *     {@code FAILED}, {@code KILLED}, ...)
 * @param finalStatus YARN's final status ({@code UNDEFINED} while it runs, then {@code SUCCEEDED},
 *     {@code FAILED} or {@code KILLED})
 * @param restAddress the REST address of its Flink cluster while it runs
 * @param diagnostics what YARN says about it (empty if nothing)
 */
public record YarnApplicationInfo(
    String applicationId,
    String name,
    String state,
    String finalStatus,
    Optional<String> restAddress,
    String diagnostics) {

  public YarnApplicationInfo {
    requireNonNull(applicationId, "applicationId is null");
    requireNonNull(name, "name is null");
    requireNonNull(state, "state is null");
    requireNonNull(finalStatus, "finalStatus is null");
    requireNonNull(restAddress, "restAddress is null");
    requireNonNull(diagnostics, "diagnostics is null");
  }
}
