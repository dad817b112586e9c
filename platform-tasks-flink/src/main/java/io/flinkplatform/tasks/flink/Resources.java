package io.flinkplatform.tasks.flink;

import io.flinkplatform.spi.AccessDeniedException;
import io.flinkplatform.spi.StoredResources;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * The resource store: jars named by Hadoop {@code FileSystem} URIs ({@code file://} by default,
 * {@code hdfs://} in production), copied once to a local cache so Flink's client can read them;
 * jars uploaded to the platform ({@code resource:name[@version]}), staged by the platform's own
 * cache ({@link StoredResources}).
 */
final class Resources {
  private final Configuration hadoop;
  private final Path cache;
  private final Optional<StoredResources> stored;

  Resources(Configuration hadoop, Path cache, Optional<StoredResources> stored) {
    this.hadoop = hadoop;
    this.cache = cache;
    this.stored = stored;
  }

  /**
   * Why a task of {@code workspace} cannot use the uploaded resource {@code reference}, if it
   * cannot.
   */
  Optional<String> problem(String workspace, String reference) {
    return stored
        .map(s -> s.problem(workspace, reference))
        .orElse(Optional.of("this platform provides no resource store"));
  }

  /**
   * A local file with the content of {@code uri} for a task of {@code workspace}; local files are
   * used where they are, {@code resource:} references are resolved in the workspace.
   */
  File local(String workspace, String uri) throws IOException {
    if (StoredResources.isReference(uri.trim())) {
      try {
        return stored
            .orElseThrow(() -> new IOException("this platform provides no resource store"))
            .stage(workspace, uri.trim())
            .toFile();
      } catch (IllegalArgumentException | AccessDeniedException e) {
        throw new IOException(e.getMessage(), e);
      }
    }
    URI u = URI.create(uri.trim());
    if (u.getScheme() == null || "file".equals(u.getScheme())) {
      File f = u.getScheme() == null ? new File(uri.trim()) : new File(u);
      if (!f.isFile()) {
        throw new IOException("jar " + uri + " does not exist or is not a file");
      }
      return f;
    }
    org.apache.hadoop.fs.Path remote = new org.apache.hadoop.fs.Path(u);
    String name =
        UUID.nameUUIDFromBytes(uri.getBytes(StandardCharsets.UTF_8)) + "-" + remote.getName();
    Path target = cache.resolve(name);
    FileSystem fs = remote.getFileSystem(hadoop);
    long remoteLength = fs.getFileStatus(remote).getLen();
    if (!Files.isRegularFile(target) || Files.size(target) != remoteLength) {
      Files.createDirectories(cache);
      Path partial = Files.createTempFile(cache, name, ".part");
      fs.copyToLocalFile(false, remote, new org.apache.hadoop.fs.Path(partial.toUri()), true);
      Files.move(
          partial,
          target,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
    return target.toFile();
  }
}
