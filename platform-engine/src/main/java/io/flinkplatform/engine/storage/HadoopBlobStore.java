package io.flinkplatform.engine.storage;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.hdfs.DistributedFileSystem;

/**
 * Blobs as files under one directory of a Hadoop {@code FileSystem} (see {@link
 * BlobStores#hadoop}). The only class that touches Hadoop: loaded when {@code hadoop()} is called.
 *
 * <p>Paths are handed to the file system without scheme and authority, so that a credential in the
 * URI's user part never reaches a path, a message or a log; {@link #describe} drops it too.
 */
final class HadoopBlobStore implements BlobStore {
  private final FileSystem fs;
  private final Path root;
  private final String rootPath;
  private final String described;

  private HadoopBlobStore(FileSystem fs, Path root, String described) {
    this.fs = fs;
    this.root = root;
    this.rootPath = root.toUri().getPath();
    this.described = described;
  }

  /** Opens a file system of its own (not Hadoop's shared cache), closed by {@link #close}. */
  static BlobStore create(URI uri, Map<String, String> conf) {
    Configuration c = new Configuration();
    conf.forEach(c::set);
    String path = uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath();
    String described = withoutSecrets(uri);
    FileSystem fs;
    try {
      fs = FileSystem.newInstance(uri, c);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "cannot open the Hadoop file system of " + described + ": " + e.getClass().getName(), e);
    }
    return new HadoopBlobStore(fs, fs.makeQualified(new Path(path)), described);
  }

  /** The URI without its user part (a credential), query and fragment. */
  static String withoutSecrets(URI uri) {
    try {
      return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null)
          .toString();
    } catch (URISyntaxException e) {
      return uri.getScheme() + "://" + uri.getHost() + "/…";
    }
  }

  @Override
  public String describe() {
    return described;
  }

  private Path path(String key) {
    BlobKeys.check(key);
    return new Path(rootPath.endsWith("/") ? rootPath + key : rootPath + "/" + key);
  }

  @Override
  public void put(String key, InputStream data) throws IOException {
    Path target = path(key);
    Path tmp = new Path(target.getParent(), ".put-" + UUID.randomUUID() + ".tmp");
    try {
      try (OutputStream out = fs.create(tmp, false)) {
        data.transferTo(out);
      }
      rename(tmp, target);
    } finally {
      deleteQuietly(tmp);
    }
  }

  @SuppressWarnings("deprecation") // the one public rename that replaces atomically on HDFS
  private void rename(Path tmp, Path target) throws IOException {
    if (fs instanceof DistributedFileSystem dfs) {
      dfs.rename(tmp, target, Options.Rename.OVERWRITE);
      return;
    }
    if (fs.rename(tmp, target)) {
      return;
    }
    // file systems whose rename does not replace (object stores copy, then delete anyway): the key
    // is absent for a moment, never partly written
    if (fs.exists(target) && fs.delete(target, false) && fs.rename(tmp, target)) {
      return;
    }
    throw new IOException("cannot store blob " + target.toUri().getPath() + " in " + described);
  }

  private void deleteQuietly(Path tmp) {
    try {
      fs.delete(tmp, false);
    } catch (IOException | RuntimeException ignored) {
      // a temporary name no key can take; deleteAll of its prefix removes it
    }
  }

  @Override
  public Optional<InputStream> open(String key) throws IOException {
    try {
      return Optional.of(fs.open(path(key)));
    } catch (FileNotFoundException e) {
      return Optional.empty();
    }
  }

  @Override
  public Optional<Long> size(String key) throws IOException {
    try {
      FileStatus s = fs.getFileStatus(path(key));
      return s.isFile() ? Optional.of(s.getLen()) : Optional.empty();
    } catch (FileNotFoundException e) {
      return Optional.empty();
    }
  }

  @Override
  public List<String> list(String prefix) throws IOException {
    List<String> keys = new ArrayList<>();
    for (LocatedFileStatus f : files(prefix)) {
      keys.add(key(f.getPath()));
    }
    return keys;
  }

  /** The blobs under {@code prefix} (not the hidden files: temporary names, checksums). */
  private List<LocatedFileStatus> files(String prefix) throws IOException {
    List<LocatedFileStatus> out = new ArrayList<>();
    try {
      RemoteIterator<LocatedFileStatus> it = fs.listFiles(path(prefix), true);
      while (it.hasNext()) {
        LocatedFileStatus f = it.next();
        if (f.isFile() && !f.getPath().getName().startsWith(".")) {
          out.add(f);
        }
      }
    } catch (FileNotFoundException e) {
      return List.of();
    }
    return out;
  }

  private String key(Path p) {
    String full = p.toUri().getPath();
    String base = rootPath.endsWith("/") ? rootPath : rootPath + "/";
    return full.startsWith(base) ? full.substring(base.length()) : full;
  }

  @Override
  public boolean delete(String key) throws IOException {
    Path p = path(key);
    try {
      return fs.getFileStatus(p).isFile() && fs.delete(p, false);
    } catch (FileNotFoundException e) {
      return false;
    }
  }

  @Override
  public int deleteAll(String prefix) throws IOException {
    Path dir = path(prefix);
    int n = files(prefix).size();
    try {
      if (!fs.getFileStatus(dir).isDirectory()) {
        return 0;
      }
    } catch (FileNotFoundException e) {
      return 0;
    }
    fs.delete(dir, true);
    return n;
  }

  @Override
  public void close() throws IOException {
    fs.close();
  }

  @Override
  public String toString() {
    return "HadoopBlobStore[" + described + "]";
  }
}
