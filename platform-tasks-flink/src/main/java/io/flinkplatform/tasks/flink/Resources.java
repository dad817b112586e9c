package io.flinkplatform.tasks.flink;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * The resource store: jars named by Hadoop {@code FileSystem} URIs ({@code file://} by default,
 * {@code hdfs://} in production), copied once to a local cache so Flink's client can read them.
 */
final class Resources {
  private final Configuration hadoop;
  private final Path cache;

  Resources(Configuration hadoop, Path cache) {
    this.hadoop = hadoop;
    this.cache = cache;
  }

  /** A local file with the content of {@code uri}; local files are used where they are. */
  File local(String uri) throws IOException {
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
