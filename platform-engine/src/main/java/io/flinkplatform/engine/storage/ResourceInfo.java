package io.flinkplatform.engine.storage;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One version of a resource uploaded to the platform's resource store (docs/resources.md): tasks
 * name it {@code resource:name} (the latest version) or {@code resource:name@version}.
 *
 * @param workspace the workspace that owns it
 * @param name its name, unique in the workspace
 * @param version 1 for the first upload of the name, then one more for each upload of new content
 * @param sha256 the SHA-256 of its content, 64 lower-case hex digits
 * @param size its size in bytes
 * @param createdBy who uploaded it
 * @param createdAt when
 */
public record ResourceInfo(
    String workspace,
    String name,
    int version,
    String sha256,
    long size,
    String createdBy,
    Instant createdAt) {
  public ResourceInfo {
    requireNonNull(workspace, "workspace is null");
    requireNonNull(name, "name is null");
    requireNonNull(sha256, "sha256 is null");
    requireNonNull(createdBy, "createdBy is null");
    requireNonNull(createdAt, "createdAt is null");
  }

  /** The reference that names exactly this version: {@code resource:name@version}. */
  public String reference() {
    return "resource:" + name + "@" + version;
  }
}
