package io.flinkplatform.engine;

import java.nio.file.Path;

/**
 * The log directory given to {@code start()} is marked as the log directory of another installation
 * (another database): two databases must not share one, or each would read, append to and delete
 * the other's logs of the same run ids. Nothing was started.
 */
public final class LogDirectoryInUseException extends PlatformException {
  private static final long serialVersionUID = 1L;
  private final transient Path directory;

  public LogDirectoryInUseException(Path directory, String message) {
    super(message);
    this.directory = directory;
  }

  /** The directory that belongs to another installation. */
  public Path directory() {
    return directory;
  }
}
