package io.flinkplatform.engine.access;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * One row of the audit trail: a change, written in the transaction that made it.
 *
 * @param id grows with every row, so a page continues after the last id it showed
 * @param at when the change committed (the platform clock)
 * @param actor who made it (an actor's name, e.g. {@code alice}, {@code system}, {@code
 *     schedule:nightly})
 * @param workspace the workspace it changed; empty for platform-wide changes (users, workspaces)
 * @param action what it did, e.g. {@code run.trigger} ({@link Action#id()} or a plugin's action)
 * @param target what it changed, e.g. {@code run:42}, {@code workflow:daily_etl}
 * @param digest what changed, never a secret
 * @param address the caller's network address, when the caller gave one
 */
public record AuditEntry(
    long id,
    Instant at,
    String actor,
    String workspace,
    String action,
    String target,
    String digest,
    Optional<String> address) {
  public AuditEntry {
    requireNonNull(at, "at is null");
    requireNonNull(actor, "actor is null");
    requireNonNull(workspace, "workspace is null");
    requireNonNull(action, "action is null");
    requireNonNull(target, "target is null");
    requireNonNull(digest, "digest is null");
    requireNonNull(address, "address is null");
  }
}
