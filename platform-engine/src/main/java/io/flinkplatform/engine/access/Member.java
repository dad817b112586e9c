package io.flinkplatform.engine.access;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.spi.Role;
import java.time.Instant;

/**
 * A user's role in a workspace, as the built-in store keeps it.
 *
 * @param principal the user's name
 * @param role what it may do there
 * @param createdAt when the role was given
 * @param createdBy who gave it
 */
public record Member(String principal, Role role, Instant createdAt, String createdBy) {
  public Member {
    requireNonNull(principal, "principal is null");
    requireNonNull(role, "role is null");
    requireNonNull(createdAt, "createdAt is null");
    requireNonNull(createdBy, "createdBy is null");
  }
}
