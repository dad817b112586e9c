package io.flinkplatform.engine;

/** The database failed; the cause is the driver's exception. */
public final class StoreException extends PlatformException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
