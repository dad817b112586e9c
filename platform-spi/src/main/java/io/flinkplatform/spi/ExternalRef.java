package io.flinkplatform.spi;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * The identity of work running in an external system (e.g. a Flink JobID and its cluster),
 * persisted by the engine with the attempt so that any instance can poll, cancel or re-attach to
 * it.
 *
 * @param id the external system's identity of the work, e.g. a job id
 * @param attributes anything else needed to find it again (cluster address, application id)
 */
public record ExternalRef(String id, Map<String, String> attributes) {
  public ExternalRef {
    requireNonNull(id, "id is null");
    attributes = Map.copyOf(requireNonNull(attributes, "attributes is null"));
  }

  public static ExternalRef of(String id) {
    return new ExternalRef(id, Map.of());
  }
}
