package io.flinkplatform.engine.internal.console;

import io.flinkplatform.engine.access.Action;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One operation of the REST API: method, path template ({@code /workspaces/{ws}/runs/{runId}} under
 * {@code /api/v1}), the least {@link Action} it needs (documentation and the pages' buttons; the
 * client the handler calls checks it again), its OpenAPI description and its handler.
 *
 * @param action the action whose role it needs, or empty for any logged-in actor
 * @param open whether it is served without a login (the login itself, the OpenAPI document)
 * @param query the query parameters it reads, name to description
 * @param body a description of the JSON body it reads, or empty for none
 */
public record Route(
    String method,
    String path,
    Optional<Action> action,
    boolean open,
    String tag,
    String summary,
    Map<String, String> query,
    Optional<String> body,
    Handler handler) {

  private static final Pattern PARAM = Pattern.compile("\\{([A-Za-z]+)}");

  /** Handles one matched call; returns the JSON response (see {@link Reply}) or null for 204. */
  @FunctionalInterface
  public interface Handler {
    Object handle(Call call) throws Exception;
  }

  /** A response other than 200 with a JSON body. */
  public record Reply(int status, Object body) {}

  /** A file to download: sent as is. */
  public record Download(String contentType, String fileName, byte[] content) {}

  /** A file to download from a stream, copied to the answer without holding it in memory. */
  public record Stream(String contentType, String fileName, java.io.InputStream content) {}

  public Route {
    query = Map.copyOf(query);
  }

  /** The names of the path's parameters, in order. */
  public List<String> params() {
    return params(path);
  }

  Pattern pattern() {
    return pattern(path);
  }

  /** The names of a path template's parameters ({@code {name}}), in order (pages share it). */
  static List<String> params(String template) {
    List<String> names = new ArrayList<>();
    Matcher m = PARAM.matcher(template);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  /** A path template as a pattern with a named group per parameter (one path segment each). */
  static Pattern pattern(String template) {
    return Pattern.compile(
        "^" + PARAM.matcher(template.replace(".", "\\.")).replaceAll("(?<$1>[^/]+)") + "$");
  }

  boolean mutating() {
    return !method.equals("GET");
  }
}
