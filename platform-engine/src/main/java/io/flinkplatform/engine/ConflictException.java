package io.flinkplatform.engine;

/**
 * A concurrent request changed the same object first (e.g. created a schedule of the same name at
 * the same moment); nothing of this request was written. Repeating it applies it on top of the
 * other change.
 */
public final class ConflictException extends PlatformException {
  private static final long serialVersionUID = 1L;

  public ConflictException(String message, Throwable cause) {
    super(message, cause);
  }
}
