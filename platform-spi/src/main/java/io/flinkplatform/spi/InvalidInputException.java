package io.flinkplatform.spi;

import static java.util.Objects.requireNonNull;

/**
 * A plugin's {@link ApiOperation} was given a bad field; nothing was written. The console answers
 * 400 with the field's name, so its page shows the message next to the field.
 */
public class InvalidInputException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final String field;

  /**
   * @param field the field at fault, e.g. {@code url} or a path parameter's name
   * @param message what is wrong and what is allowed; never a secret
   */
  public InvalidInputException(String field, String message) {
    super(requireNonNull(message, "message is null"));
    this.field = requireNonNull(field, "field is null");
  }

  /** The name of the field at fault. */
  public String field() {
    return field;
  }
}
