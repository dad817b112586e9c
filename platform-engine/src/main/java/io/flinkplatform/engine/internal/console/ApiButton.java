package io.flinkplatform.engine.internal.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.Map;

/**
 * Buttons and forms of the admin pages that call the REST API through the page's script ({@code
 * data-api}, see app.js): a page renders one only when the caller's role allows the action, and the
 * API checks the role again when it is pressed. Every value is escaped here.
 */
final class ApiButton {
  private ApiButton() {}

  /**
   * A button calling {@code method url} with an optional JSON body, asking {@code confirm} first
   * (when not null), reloading the page after.
   */
  static String of(
      String method, String url, String label, String confirm, Map<String, ?> body, String cls) {
    StringBuilder b = new StringBuilder("<button type=\"button\"");
    if (cls != null) {
      b.append(" class=\"").append(Html.esc(cls)).append('"');
    }
    b.append(" data-api=\"").append(Html.esc(method + " " + url)).append('"');
    if (body != null) {
      b.append(" data-body=\"").append(Html.esc(json(body))).append('"');
    }
    if (confirm != null) {
      b.append(" data-confirm=\"").append(Html.esc(confirm)).append('"');
    }
    return b.append(" data-then=\"reload\">")
        .append(Html.esc(label))
        .append("</button>")
        .toString();
  }

  /**
   * The opening tag of a form whose fields go to {@code method url} as JSON ({@code {field}} in the
   * URL takes that field's value), reloading the page after.
   */
  static String form(String method, String url, String cls) {
    return "<form class=\""
        + Html.esc(cls)
        + "\" data-api=\""
        + Html.esc(method + " " + url)
        + "\" data-then=\"reload\">";
  }

  /** A place for the error the API gives about {@code field}. */
  static String fieldError(String field) {
    return "<span class=\"error\" data-field-error=\"" + Html.esc(field) + "\"></span>";
  }

  static String json(Object value) {
    try {
      return ConsoleJson.MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + value.getClass().getSimpleName(), e);
    }
  }
}
