package io.flinkplatform.spi;

import java.util.Map;
import java.util.Optional;

/**
 * One call of a plugin's {@link ApiOperation}, after the platform checked the caller's role in the
 * workspace.
 */
public interface ApiRequest {
  /** Who calls (a user with the caller's address, or the system); audit rows name it. */
  Actor actor();

  /** The workspace of the path ({@code /api/v1/workspaces/{ws}/...}); it exists. */
  String workspace();

  /**
   * A path parameter of the operation's path, decoded.
   *
   * @throws IllegalArgumentException if the path has no such parameter
   */
  String path(String name);

  /** A query parameter, if given and not empty. */
  Optional<String> query(String name);

  /**
   * The body as a JSON object: strings, numbers, booleans, {@code null}, lists and maps; empty when
   * none was sent.
   *
   * @throws InvalidInputException naming the field {@code body} if it is not a JSON object
   */
  Map<String, Object> body();

  /** The body as sent (UTF-8), empty when none was sent. */
  String bodyText();

  /**
   * A text field of the JSON body.
   *
   * @throws InvalidInputException naming the field if it is required and missing or blank, or not a
   *     string
   */
  default Optional<String> text(String field, boolean required) {
    Object v = body().get(field);
    if (v == null || v instanceof String s && s.isBlank()) {
      if (required) {
        throw new InvalidInputException(field, field + " is required");
      }
      return Optional.empty();
    }
    if (!(v instanceof String s)) {
      throw new InvalidInputException(field, field + " must be a string");
    }
    return Optional.of(s);
  }
}
