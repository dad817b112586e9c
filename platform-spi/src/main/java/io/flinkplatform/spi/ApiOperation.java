package io.flinkplatform.spi;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One REST operation a plugin offers through the platform's console ({@link
 * TaskPlugin#apiOperations()}), served at {@code /api/v1/workspaces/{ws}/<path>} and listed in the
 * console's OpenAPI document under the plugin's name.
 *
 * <p>The platform checks that the caller holds at least {@link #role()} in the workspace (and that
 * the workspace exists) <em>before</em> it calls the handler, so a handler never runs for a caller
 * the role refuses. A plugin whose own Java API checks roles (through {@link WorkspaceAccess})
 * checks again, which is harmless. An operation that changes something ({@link #changes()}) writes
 * its audit row itself, with {@link WorkspaceAccess#audit} in the transaction of the change.
 *
 * <p>The handler returns a JSON-able value: a record, a map, a list, a string, a number, {@code
 * Optional} or {@code Instant} (written as ISO text), or {@code null} for "204 No Content". What it
 * returns is shown to people: never return a password or a secret option's value (mask them with
 * {@link Redaction}). Exceptions become JSON errors: {@link InvalidInputException} and {@link
 * IllegalArgumentException} 400 (naming the field when known), {@link AccessDeniedException} 403,
 * an exception whose simple name ends in {@code NotFoundException} 404, {@link
 * IllegalStateException} 409; anything else 500 with an error id in the server's log and nothing of
 * its message.
 *
 * <pre>{@code
 * ApiOperation.get("datasources", Role.VIEWER, "The workspace's datasources", r -> list(r.workspace()))
 *     .withColumns(Column.of("name"), Column.of("url", "URL"));
 * ApiOperation.post("datasources/{name}/test", Role.EDITOR, "datasource.test",
 *     "Open one connection to the datasource", r -> test(r.workspace(), r.path("name")));
 * }</pre>
 *
 * @param method {@code GET}, {@code POST}, {@code PUT} or {@code DELETE}
 * @param path below {@code /api/v1/workspaces/{ws}/}, without a leading slash; {@code {name}} parts
 *     are path parameters, e.g. {@code flink/jobs/{jobId}/savepoints}
 * @param role the least role the caller needs in the workspace
 * @param action what it does, for refusals and the audit trail, e.g. {@code datasource.test};
 *     {@code read} for reads
 * @param summary one line for the OpenAPI document and the console's buttons
 * @param query the query parameters it reads, name to description
 * @param body a description of the JSON body it reads, if it reads one
 * @param columns the fields a console page shows of each result row (for a GET that returns a
 *     list); empty for every top-level field
 * @param handler what runs once the role is checked
 */
public record ApiOperation(
    String method,
    String path,
    Role role,
    String action,
    String summary,
    Map<String, String> query,
    Optional<String> body,
    List<Column> columns,
    Handler handler) {

  /** The methods an operation may have. */
  public static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "DELETE");

  private static final Pattern PATH =
      Pattern.compile("[a-z0-9][a-z0-9_.-]*(/([a-z0-9][a-z0-9_.-]*|\\{[A-Za-z]+}))*");
  private static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9_.-]{0,63}");

  /** Runs one call whose role was checked. */
  @FunctionalInterface
  public interface Handler {
    /**
     * @return the JSON-able answer, or {@code null} for none
     */
    Object handle(ApiRequest request) throws Exception;
  }

  /**
   * A field a console page shows as a column.
   *
   * @param field the name of a top-level field of the result rows
   * @param label the column's heading
   */
  public record Column(String field, String label) {
    public Column {
      requireNonNull(field, "field is null");
      requireNonNull(label, "label is null");
    }

    /** A column headed by its field's name. */
    public static Column of(String field) {
      return new Column(field, field);
    }

    public static Column of(String field, String label) {
      return new Column(field, label);
    }
  }

  public ApiOperation {
    requireNonNull(method, "method is null");
    requireNonNull(path, "path is null");
    requireNonNull(role, "role is null");
    requireNonNull(action, "action is null");
    requireNonNull(summary, "summary is null");
    query =
        java.util.Collections.unmodifiableMap(
            new LinkedHashMap<>(requireNonNull(query, "query is null")));
    requireNonNull(body, "body is null");
    columns = List.copyOf(requireNonNull(columns, "columns is null"));
    requireNonNull(handler, "handler is null");
    if (!METHODS.contains(method)) {
      throw new IllegalArgumentException(
          "method must be one of " + new java.util.TreeSet<>(METHODS) + ", not " + method);
    }
    if (!PATH.matcher(path).matches()) {
      throw new IllegalArgumentException(
          "path '"
              + path
              + "' must be lower-case segments (a-z 0-9 _ . -) or {param} parts joined by /,"
              + " without a leading slash");
    }
    if (!ACTION.matcher(action).matches()) {
      throw new IllegalArgumentException(
          "action '" + action + "' must be 1 to 64 of a-z 0-9 _ . - starting with a letter");
    }
  }

  /** A read ({@code GET}) needing {@code role}; its action is {@code read}. */
  public static ApiOperation get(String path, Role role, String summary, Handler handler) {
    return new ApiOperation(
        "GET", path, role, "read", summary, Map.of(), Optional.empty(), List.of(), handler);
  }

  /** A {@code POST} doing {@code action}, needing {@code role}. */
  public static ApiOperation post(
      String path, Role role, String action, String summary, Handler handler) {
    return new ApiOperation(
        "POST", path, role, action, summary, Map.of(), Optional.empty(), List.of(), handler);
  }

  /** A {@code PUT} doing {@code action}, needing {@code role}. */
  public static ApiOperation put(
      String path, Role role, String action, String summary, Handler handler) {
    return new ApiOperation(
        "PUT", path, role, action, summary, Map.of(), Optional.empty(), List.of(), handler);
  }

  /** A {@code DELETE} doing {@code action}, needing {@code role}. */
  public static ApiOperation delete(
      String path, Role role, String action, String summary, Handler handler) {
    return new ApiOperation(
        "DELETE", path, role, action, summary, Map.of(), Optional.empty(), List.of(), handler);
  }

  /** This operation reading query parameter {@code name} as well. */
  public ApiOperation withQuery(String name, String description) {
    Map<String, String> q = new LinkedHashMap<>(query);
    q.put(requireNonNull(name, "name is null"), requireNonNull(description, "description is null"));
    return new ApiOperation(method, path, role, action, summary, q, body, columns, handler);
  }

  /** This operation reading a JSON body described so. */
  public ApiOperation withBody(String description) {
    return new ApiOperation(
        method,
        path,
        role,
        action,
        summary,
        query,
        Optional.of(requireNonNull(description, "description is null")),
        columns,
        handler);
  }

  /** This operation with the columns a console page shows of its rows. */
  public ApiOperation withColumns(Column... columns) {
    return new ApiOperation(
        method, path, role, action, summary, query, body, List.of(columns), handler);
  }

  /** Whether it changes something (anything but GET): it writes its own audit row. */
  public boolean changes() {
    return !method.equals("GET");
  }

  /** The names of its path parameters, in order. */
  public List<String> pathParams() {
    List<String> names = new ArrayList<>();
    for (String part : path.split("/")) {
      if (part.startsWith("{")) {
        names.add(part.substring(1, part.length() - 1));
      }
    }
    return names;
  }

  @Override
  public String toString() {
    return method + " " + path + " (" + role + ", " + action + ")";
  }
}
