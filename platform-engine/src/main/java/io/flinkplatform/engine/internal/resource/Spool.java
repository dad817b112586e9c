package io.flinkplatform.engine.internal.resource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An upload copied to a temporary file while its SHA-256 is computed, so that the checksum is known
 * before the content goes to the resource store. Closing it deletes the file.
 */
final class Spool implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Spool.class);

  private final Path file;
  private final String sha256;
  private final long size;

  private Spool(Path file, String sha256, long size) {
    this.file = file;
    this.sha256 = sha256;
    this.size = size;
  }

  /** Reads {@code content} to its end (without closing it) into a new temporary file. */
  static Spool of(InputStream content) throws IOException {
    Path file = Files.createTempFile("flink-platform-upload-", ".tmp");
    try {
      MessageDigest sha = newSha256();
      long size;
      try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file), sha)) {
        size = content.transferTo(out);
      }
      return new Spool(file, HexFormat.of().formatHex(sha.digest()), size);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(file);
      throw e;
    }
  }

  /** The content, from its start. */
  InputStream open() throws IOException {
    return Files.newInputStream(file);
  }

  /** The SHA-256 of the content, 64 lower-case hex digits. */
  String sha256() {
    return sha256;
  }

  long size() {
    return size;
  }

  @Override
  public void close() {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.warn("could not delete the upload spool file {}: {}", file, e.toString());
    }
  }

  /** A new SHA-256 digest. */
  static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
