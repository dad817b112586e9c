/**
 * Where the platform keeps files that every instance must read: a {@link
 * io.flinkplatform.engine.storage.BlobStore} on a local directory or a Hadoop {@code FileSystem}.
 */
package io.flinkplatform.engine.storage;
