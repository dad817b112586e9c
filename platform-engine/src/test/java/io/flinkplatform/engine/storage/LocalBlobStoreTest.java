package io.flinkplatform.engine.storage;

import java.nio.file.Path;

/** The blob store contract on a local directory. */
class LocalBlobStoreTest extends BlobStoreContractTest {
  @Override
  protected BlobStore create(Path dir) {
    return BlobStores.local(dir);
  }
}
