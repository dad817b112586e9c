package io.flinkplatform.engine.storage;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/** The blob stores the platform ships. */
public final class BlobStores {
  private BlobStores() {}

  /** Files under {@code directory} (created when first written). */
  public static BlobStore local(Path directory) {
    return new LocalBlobStore(Objects.requireNonNull(directory, "directory"));
  }

  /**
   * Files under {@code uri} on a Hadoop {@code FileSystem} ({@code hdfs://nn:8020/platform}, {@code
   * file:///mnt/shared/platform}, {@code s3a://bucket/platform} with its connector on the class
   * path), configured with {@code conf} on top of the Hadoop defaults found on the class path.
   * Needs the optional dependencies {@code hadoop-client-api} and {@code hadoop-client-runtime};
   * without them this throws {@link IllegalStateException} saying so.
   */
  public static BlobStore hadoop(URI uri, Map<String, String> conf) {
    Objects.requireNonNull(uri, "uri is null");
    Objects.requireNonNull(conf, "conf is null");
    if (uri.getScheme() == null) {
      throw new IllegalArgumentException(
          "uri must name its file system (hdfs://, file://, s3a://, ...): " + uri.getPath());
    }
    try {
      Class.forName("org.apache.hadoop.fs.FileSystem", false, BlobStores.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalStateException(
          "a Hadoop blob store needs org.apache.hadoop:hadoop-client-api and"
              + " org.apache.hadoop:hadoop-client-runtime on the class path");
    }
    // the only reference to the class that touches Hadoop: loaded here, not before
    return HadoopBlobStore.create(uri, Map.copyOf(conf));
  }
}
