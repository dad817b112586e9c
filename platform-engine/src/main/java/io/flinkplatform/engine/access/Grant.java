package io.flinkplatform.engine.access;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * Something a workspace may use that is not its own: a datasource, workflow or pool of another
 * workspace (granted by that workspace's admin), or a worker label (granted by a platform admin).
 *
 * @param workspace the workspace that may use it
 * @param kind {@code datasource}, {@code workflow}, {@code pool}, {@code label}, {@code catalog}
 * @param owner the workspace it belongs to; empty for labels
 * @param name its name there; {@code *} for all of that kind
 * @param createdAt when it was granted
 * @param createdBy who granted it
 */
public record Grant(
    String workspace, String kind, String owner, String name, Instant createdAt, String createdBy) {
  public Grant {
    requireNonNull(workspace, "workspace is null");
    requireNonNull(kind, "kind is null");
    requireNonNull(owner, "owner is null");
    requireNonNull(name, "name is null");
    requireNonNull(createdAt, "createdAt is null");
    requireNonNull(createdBy, "createdBy is null");
  }
}
