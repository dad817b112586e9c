package io.flinkplatform.engine.internal.resource;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.engine.internal.access.Access;
import io.flinkplatform.engine.internal.store.ResourceRow;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.engine.storage.BlobStore;
import io.flinkplatform.spi.AccessDeniedException;
import io.flinkplatform.spi.StoredResources;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves {@code resource:} references for plugins ({@link StoredResources}): the reference is
 * read in the task's workspace, a resource of another workspace needs its grant ({@link
 * StoredResources#GRANT_KIND}), and the content is copied once from the resource store into a local
 * cache directory under its SHA-256, checked on the way. A cached file is shared by every task
 * naming that content, whatever its name or workspace.
 */
public final class ResourceResolver implements StoredResources {
  private static final Logger LOG = LoggerFactory.getLogger(ResourceResolver.class);

  private final Store store;
  private final Access access;
  private final BlobStore blobs;
  private final Path cache;

  public ResourceResolver(Store store, Access access, BlobStore blobs, Path cache) {
    this.store = requireNonNull(store, "store is null");
    this.access = requireNonNull(access, "access is null");
    this.blobs = requireNonNull(blobs, "blobs is null");
    this.cache = requireNonNull(cache, "cache is null").toAbsolutePath().normalize();
  }

  @Override
  public Optional<String> problem(String workspace, String reference) {
    try {
      find(workspace, reference);
      return Optional.empty();
    } catch (IllegalArgumentException | AccessDeniedException e) {
      return Optional.of(e.getMessage());
    }
  }

  /** The row a reference names in {@code workspace}. */
  private ResourceRow find(String workspace, String reference) {
    Reference r = StoredResources.parse(workspace, reference);
    if (!r.resource().isIn(workspace) && !access.granted(workspace, GRANT_KIND, r.resource())) {
      throw new AccessDeniedException(
          "workspace " + workspace,
          workspace,
          "resource.read",
          Optional.empty(),
          "resource '"
              + r.resource()
              + "' belongs to workspace '"
              + r.resource().workspace()
              + "', which has not granted it (kind '"
              + GRANT_KIND
              + "')");
    }
    Integer version = r.version().isPresent() ? r.version().getAsInt() : null;
    ResourceRow row =
        store.tx(
            "read resource '" + r.resource() + "'",
            m -> m.selectResource(r.resource().workspace(), r.resource().name(), version));
    if (row == null) {
      throw new IllegalArgumentException(
          "'"
              + r.text(workspace)
              + "': workspace '"
              + r.resource().workspace()
              + "' has no resource '"
              + r.resource().name()
              + "'"
              + (version == null ? "" : " of version " + version));
    }
    return row;
  }

  @Override
  public Path stage(String workspace, String reference) throws IOException {
    ResourceRow row = find(workspace, reference);
    Path dir = cache.resolve(row.sha256);
    Path target = dir.resolve(row.name);
    if (Files.isRegularFile(target) && Files.size(target) == row.size) {
      return target;
    }
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".stage-", ".tmp");
    try {
      MessageDigest sha = Spool.newSha256();
      try (InputStream in =
              blobs
                  .open(row.blobKey)
                  .orElseThrow(
                      () ->
                          new IOException(
                              "the content of resource '"
                                  + row.name
                                  + "' version "
                                  + row.version
                                  + " is missing from the resource store "
                                  + blobs.describe()));
          OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), sha)) {
        in.transferTo(out);
      }
      String got = HexFormat.of().formatHex(sha.digest());
      if (!got.equals(row.sha256)) {
        throw new IOException(
            "resource '"
                + row.name
                + "' version "
                + row.version
                + " does not match its checksum: stored sha256 "
                + row.sha256
                + ", read "
                + got);
      }
      try {
        Files.move(
            tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      LOG.debug("staged resource {}/{} v{} as {}", row.workspace, row.name, row.version, target);
      return target;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  @Override
  public String toString() {
    return "ResourceResolver[" + blobs.describe() + ", cache " + cache + "]";
  }
}
