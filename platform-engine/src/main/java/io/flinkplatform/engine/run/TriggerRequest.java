package io.flinkplatform.engine.run;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What a manual trigger asks for.
 *
 * @param workflowName the workflow to run
 * @param version the version to run, or empty for the latest
 * @param parameters overrides of the workflow's parameters
 * @param logicalDate the run's logical date, or empty for now
 */
public record TriggerRequest(
    String workflowName,
    Optional<Integer> version,
    Map<String, String> parameters,
    Optional<Instant> logicalDate) {

  public TriggerRequest {
    requireNonNull(workflowName, "workflowName is null");
    requireNonNull(version, "version is null");
    parameters = Map.copyOf(requireNonNull(parameters, "parameters is null"));
    requireNonNull(logicalDate, "logicalDate is null");
  }

  public static TriggerRequest of(String workflowName) {
    return new TriggerRequest(workflowName, Optional.empty(), Map.of(), Optional.empty());
  }

  public TriggerRequest withParameters(Map<String, String> parameters) {
    return new TriggerRequest(workflowName, version, parameters, logicalDate);
  }

  public TriggerRequest withLogicalDate(Instant logicalDate) {
    return new TriggerRequest(workflowName, version, parameters, Optional.of(logicalDate));
  }

  public TriggerRequest withVersion(int version) {
    return new TriggerRequest(workflowName, Optional.of(version), parameters, logicalDate);
  }
}
