package io.flinkplatform.engine.internal.worker;

import io.flinkplatform.engine.LogDirectoryInUseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.stream.Stream;

/**
 * The mark that says which installation (which database) a log directory belongs to: the file
 * {@value LocalLogStore#MARKER} holding a digest of the installation's id. It is written when the
 * directory is new or empty, and checked otherwise.
 */
final class LogDirectoryMark {
  private static final String MARKER = LocalLogStore.MARKER;

  private LogDirectoryMark() {}

  /**
   * A digest of the installation's id for names on disk: the id itself is confidential (plugins
   * derive names from it), the digest does not reveal it.
   */
  static String digest(String installationId) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256")
              .digest(
                  ("flink-platform log directory\n" + installationId)
                      .getBytes(StandardCharsets.UTF_8));
      return "installation-" + HexFormat.of().formatHex(hash, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /**
   * Marks {@code root} as the installation's (its digest) when it is new or empty, or checks the
   * mark it has. Returns null once the directory is marked as the installation's, else why it is
   * not.
   *
   * @throws LogDirectoryInUseException the directory is marked as another installation's
   */
  static String claim(Path root, String installation) {
    Path marker = root.resolve(MARKER);
    try {
      Files.createDirectories(root);
      for (int tries = 0; tries < 3; tries++) {
        String found = readMarker(marker);
        if (found != null) {
          if (found.equals(installation)) {
            return null;
          }
          throw new LogDirectoryInUseException(
              root,
              "the log directory "
                  + root
                  + " belongs to another installation (another database): its "
                  + MARKER
                  + " holds "
                  + found
                  + ", this installation is "
                  + installation
                  + ". Two databases must not share a log directory: give this platform its own"
                  + " logDirectory (or the default)");
        }
        if (holdsFiles(root)) {
          return "the log directory "
              + root
              + " holds files but no "
              + MARKER
              + "; if only this installation uses it, write "
              + installation
              + " into that file";
        }
        Path tmp = Files.createTempFile(root, MARKER + ".", ".tmp");
        try {
          Files.writeString(tmp, installation + "\n");
          // no replacing: when two instances mark at once, the first mark stays and is checked
          Files.move(tmp, marker);
        } catch (FileAlreadyExistsException raced) {
          // another instance marked it first: its mark is read again
        } finally {
          Files.deleteIfExists(tmp);
        }
      }
      return "the log directory " + root + " could not be marked";
    } catch (IOException e) {
      return "the log directory " + root + " could not be marked (" + e + ")";
    }
  }

  private static String readMarker(Path marker) throws IOException {
    try {
      return Files.readString(marker, StandardCharsets.UTF_8).strip();
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /** Whether the directory holds anything besides marks being written. */
  private static boolean holdsFiles(Path root) throws IOException {
    try (Stream<Path> entries = Files.list(root)) {
      return entries.anyMatch(p -> !p.getFileName().toString().startsWith(MARKER + "."));
    }
  }
}
