package io.flinkplatform.engine.internal.alert;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * One thing a rule alerts on.
 *
 * @param dedupKey what makes it one for its rule (e.g. {@code run:42}, {@code run:42:2026-12-07},
 *     {@code task:42:load:3}): the same key raises once per rule, however often it is written
 * @param workflow the workflow it is about, or {@code null}; the rate limit groups by it
 * @param runId the run it is about, or {@code null}
 * @param link the console page to look at, or {@code null}
 * @param facts the template's values (run, workflow, task, state, message, ...); never secrets
 */
public record Occurrence(
    String dedupKey, String workflow, Long runId, String link, Map<String, String> facts) {
  public Occurrence {
    requireNonNull(dedupKey, "dedupKey is null");
    facts = Map.copyOf(requireNonNull(facts, "facts is null"));
  }
}
