package io.flinkplatform.engine;

/** A workflow, version or run that was asked for does not exist. */
public final class NotFoundException extends PlatformException {
  public NotFoundException(String message) {
    super(message);
  }
}
