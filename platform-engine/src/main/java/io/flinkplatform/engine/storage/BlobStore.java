package io.flinkplatform.engine.storage;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * Files the platform keeps outside the database and that every instance must be able to read:
 * shipped task logs and uploaded resources. Keys are relative, {@code /}-separated paths checked by
 * {@link BlobKeys#check}. Implementations: {@link BlobStores#local} (a directory, the default) and
 * {@link BlobStores#hadoop} (any Hadoop {@code FileSystem}: {@code hdfs://}, {@code file://} on a
 * shared mount, object stores through their connectors). Thread-safe.
 */
public interface BlobStore extends AutoCloseable {

  /** Where the blobs live, for logs and errors: never a credential. */
  String describe();

  /**
   * Stores {@code data} under {@code key}, replacing what was there: readers see the old content or
   * the new one, never a part (written aside, then renamed).
   */
  void put(String key, InputStream data) throws IOException;

  /** The blob's content, or empty if there is none. The caller closes the stream. */
  Optional<InputStream> open(String key) throws IOException;

  /** The blob's size in bytes, or empty if there is none. */
  Optional<Long> size(String key) throws IOException;

  /** The keys that start with {@code prefix} + {@code /} (all levels), in no particular order. */
  List<String> list(String prefix) throws IOException;

  /** Deletes the blob; returns whether there was one. */
  boolean delete(String key) throws IOException;

  /** Deletes every blob under {@code prefix} + {@code /}; returns how many. */
  int deleteAll(String prefix) throws IOException;

  @Override
  default void close() throws IOException {}
}
