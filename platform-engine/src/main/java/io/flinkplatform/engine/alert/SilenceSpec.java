package io.flinkplatform.engine.alert;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * Holds back the alerts of a rule (or of every rule of the workspace) until {@code endsAt}, for all
 * workflows or one: they are kept in the history as SILENCED, not sent.
 *
 * @param rule a rule's name, or {@code null} for every rule of the workspace
 * @param workflow a workflow name pattern ({@code *} matches any characters), or {@code null}
 * @param endsAt when alerts flow again; must be in the future
 * @param reason why, shown in the console and the audit trail
 */
public record SilenceSpec(String rule, String workflow, Instant endsAt, String reason) {
  public SilenceSpec {
    requireNonNull(endsAt, "endsAt is null");
    requireNonNull(reason, "reason is null");
  }
}
