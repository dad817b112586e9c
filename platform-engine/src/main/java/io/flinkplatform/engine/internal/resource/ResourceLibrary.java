package io.flinkplatform.engine.internal.resource;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.engine.InvalidRequestException;
import io.flinkplatform.engine.NotFoundException;
import io.flinkplatform.engine.PlatformException;
import io.flinkplatform.engine.ResourceInUseException;
import io.flinkplatform.engine.StoreException;
import io.flinkplatform.engine.access.Action;
import io.flinkplatform.engine.internal.access.Access;
import io.flinkplatform.engine.internal.access.Caller;
import io.flinkplatform.engine.internal.common.Outage;
import io.flinkplatform.engine.internal.store.ResourceRow;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.engine.storage.BlobStore;
import io.flinkplatform.engine.storage.ResourceInfo;
import io.flinkplatform.spi.StoredResources;
import io.flinkplatform.spi.Workspaces;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads, lists, reads and deletes the resources of a workspace. An upload is spooled to a local
 * file while its SHA-256 is computed ({@link Spool}), written to the resource store under a key of
 * its own, then recorded as the next version with its audit row in one transaction; if that
 * transaction fails the blob is removed again, so no row and no blob remain. Content equal to the
 * latest version's is not stored again: that version is returned.
 */
public final class ResourceLibrary {
  private static final Logger LOG = LoggerFactory.getLogger(ResourceLibrary.class);

  /** How many times an upload tries when a concurrent upload of the name took its version. */
  static final int TRIES = 5;

  /** The prefix of every resource key in the resource store. */
  static final String KEYS = "resources";

  private final Store store;
  private final Access access;
  private final BlobStore blobs;
  private final Clock clock;

  public ResourceLibrary(Store store, Access access, BlobStore blobs, Clock clock) {
    this.store = requireNonNull(store, "store is null");
    this.access = requireNonNull(access, "access is null");
    this.blobs = requireNonNull(blobs, "blobs is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /**
   * Checks a resource name.
   *
   * @throws InvalidRequestException naming the field {@code name} and the rule
   */
  public static String checkName(String name) {
    if (name == null || !StoredResources.NAME.matcher(name).matches()) {
      String shown =
          name == null ? "null" : name.length() > 70 ? name.substring(0, 70) + "..." : name;
      throw new InvalidRequestException(
          "name",
          "resource name '"
              + shown
              + "' is not allowed: use a letter or digit, then letters, digits, . _ or -"
              + " (at most 191 characters)");
    }
    return name;
  }

  /** Stores {@code content} as the next version of {@code name} (or returns an equal latest). */
  public ResourceInfo put(Caller caller, String name, InputStream content) {
    checkName(name);
    requireNonNull(content, "content is null");
    String workspace = caller.workspace();
    try (Spool spool = Spool.of(content)) {
      ResourceRow latest =
          store.tx("read resource '" + name + "'", m -> m.selectResource(workspace, name, null));
      if (latest != null && latest.sha256.equals(spool.sha256())) {
        return info(latest);
      }
      ResourceRow row = new ResourceRow();
      row.workspace = workspace;
      row.name = name;
      row.sha256 = spool.sha256();
      row.size = spool.size();
      row.blobKey = KEYS + "/" + workspace + "/" + name + "/" + UUID.randomUUID();
      row.createdBy = caller.name();
      try (InputStream in = spool.open()) {
        blobs.put(row.blobKey, in);
      }
      try {
        return insert(caller, row);
      } catch (RuntimeException e) {
        removeBlob(row.blobKey, e);
        throw e;
      }
    } catch (IOException e) {
      throw new PlatformException(
          "could not store resource '"
              + name
              + "' in the resource store "
              + blobs.describe()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /** Records the row as the next version, with its audit row; tries again on a version race. */
  private ResourceInfo insert(Caller caller, ResourceRow row) {
    for (int tries = 1; ; tries++) {
      try {
        return store.tx(
            "record resource '" + row.name + "'",
            m -> {
              ResourceRow latest = m.selectResource(row.workspace, row.name, null);
              if (latest != null && latest.sha256.equals(row.sha256)) {
                throw new SameContent(latest); // a concurrent upload of the same content won
              }
              row.version = latest == null ? 1 : latest.version + 1;
              row.createdAt = clock.millis();
              m.insertResource(row);
              access.audit(
                  m,
                  caller,
                  Action.RESOURCE_PUT,
                  "resource:" + row.name,
                  "version " + row.version + ", sha256 " + row.sha256 + ", " + row.size + " bytes");
              return info(row);
            });
      } catch (SameContent e) {
        removeBlob(row.blobKey, null);
        return info(e.latest);
      } catch (StoreException e) {
        boolean race = Store.isDuplicateKey(e, "uk_resource_version") || Outage.isContention(e);
        if (tries >= TRIES || !race) {
          throw e;
        }
      }
    }
  }

  /** The latest version of every resource of the caller's workspace, by name. */
  public List<ResourceInfo> all(Caller caller) {
    return store.tx("read resources", m -> m.selectResources(caller.workspace())).stream()
        .map(ResourceLibrary::info)
        .toList();
  }

  /** Every version of a resource, newest first; empty if there is none. */
  public List<ResourceInfo> versions(Caller caller, String name) {
    checkName(name);
    return store
        .tx(
            "read versions of resource '" + name + "'",
            m -> m.selectResourceVersions(caller.workspace(), name))
        .stream()
        .map(ResourceLibrary::info)
        .toList();
  }

  /**
   * The content of one version.
   *
   * @throws NotFoundException if there is no such version, or its blob is missing from the store
   */
  public InputStream read(Caller caller, String name, int version) {
    checkName(name);
    if (version < 1) {
      throw new InvalidRequestException("version", "versions start at 1 but was " + version);
    }
    ResourceRow row =
        store.tx(
            "read resource '" + name + "'",
            m -> m.selectResource(caller.workspace(), name, version));
    if (row == null) {
      throw new NotFoundException(
          "resource '"
              + name
              + "' has no version "
              + version
              + " in workspace '"
              + caller.workspace()
              + "'");
    }
    try {
      return blobs
          .open(row.blobKey)
          .orElseThrow(
              () ->
                  new NotFoundException(
                      "the content of resource '"
                          + name
                          + "' version "
                          + version
                          + " is missing from the resource store "
                          + blobs.describe()));
    } catch (IOException e) {
      throw new PlatformException(
          "could not read resource '" + name + "' from " + blobs.describe() + ": " + e, e);
    }
  }

  /**
   * Deletes every version of a resource, unless a deployed workflow version names it.
   *
   * @return false if there was none
   * @throws ResourceInUseException listing the tasks that name it; nothing was deleted
   */
  public boolean delete(Caller caller, String name) {
    checkName(name);
    Workspaces.Ref ref = new Workspaces.Ref(caller.workspace(), name);
    List<ResourceRow> gone =
        store.tx(
            "delete resource '" + name + "'",
            m -> {
              List<ResourceRow> rows = m.selectResourceVersions(ref.workspace(), name);
              if (rows.isEmpty()) {
                return rows;
              }
              List<String> users = ResourceReferences.of(m, ref);
              if (!users.isEmpty()) {
                throw new ResourceInUseException(name, users);
              }
              m.deleteResource(ref.workspace(), name);
              access.audit(
                  m,
                  caller,
                  Action.RESOURCE_DELETE,
                  "resource:" + name,
                  rows.size() + " version(s), latest " + rows.get(0).version);
              return rows;
            });
    // after the commit: a blob whose row is gone is never read again
    for (ResourceRow r : gone) {
      removeBlob(r.blobKey, null);
    }
    return !gone.isEmpty();
  }

  private void removeBlob(String key, RuntimeException cause) {
    try {
      blobs.delete(key);
    } catch (IOException | RuntimeException e) {
      if (cause != null) {
        cause.addSuppressed(e);
      }
      LOG.warn("could not delete blob {} from {}: {}", key, blobs.describe(), e.toString());
    }
  }

  static ResourceInfo info(ResourceRow r) {
    return new ResourceInfo(
        r.workspace,
        r.name,
        r.version,
        r.sha256,
        r.size,
        r.createdBy,
        Instant.ofEpochMilli(r.createdAt));
  }

  /** Ends a transaction that found the content already stored as the latest version. */
  private static final class SameContent extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient ResourceRow latest;

    SameContent(ResourceRow latest) {
      super(null, null, false, false);
      this.latest = latest;
    }
  }
}
