package io.flinkplatform.engine;

import static java.util.Objects.requireNonNull;

/** A request (a schedule, a backfill, a rerun) has a bad field; nothing was written. */
public class InvalidRequestException extends PlatformException {
  private static final long serialVersionUID = 1L;
  private final String field;

  public InvalidRequestException(String field, String message) {
    super(requireNonNull(field, "field is null") + ": " + message);
    this.field = field;
  }

  public InvalidRequestException(String field, String message, Throwable cause) {
    super(requireNonNull(field, "field is null") + ": " + message, cause);
    this.field = field;
  }

  /** The name of the field at fault, e.g. {@code cron}. */
  public String field() {
    return field;
  }
}
