package io.flinkplatform.engine;

/** The root of every exception the platform throws. Subclasses carry the ids involved. */
public class PlatformException extends RuntimeException {
  public PlatformException(String message) {
    super(message);
  }

  public PlatformException(String message, Throwable cause) {
    super(message, cause);
  }
}
