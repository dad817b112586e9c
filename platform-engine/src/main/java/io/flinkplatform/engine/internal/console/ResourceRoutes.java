package io.flinkplatform.engine.internal.console;

import io.flinkplatform.engine.NotFoundException;
import io.flinkplatform.engine.access.Action;
import io.flinkplatform.engine.console.ConsoleSettings;
import io.flinkplatform.engine.storage.ResourceInfo;
import java.io.InputStream;
import java.util.List;

/**
 * Uploaded resources (docs/resources.md): list, versions, upload as a raw body (bounded by {@link
 * ConsoleSettings#maxUploadBytes()}), download of one version, delete.
 */
final class ResourceRoutes {
  private ResourceRoutes() {}

  static void register(Routes routes, ConsoleSettings settings) {
    routes
        .get("/workspaces/{ws}/resources")
        .needs(Action.READ)
        .tag("resources")
        .summary("The latest version of every resource of the workspace, by name")
        .handle(c -> c.client().resources());
    routes
        .get("/workspaces/{ws}/resources/{name}/versions")
        .needs(Action.READ)
        .tag("resources")
        .summary("Every version of a resource, newest first, with its SHA-256 and size")
        .handle(
            c -> {
              List<ResourceInfo> versions = c.client().resourceVersions(c.path("name"));
              if (versions.isEmpty()) {
                throw new NotFoundException("no resource " + c.path("name"));
              }
              return versions;
            });
    routes
        .post("/workspaces/{ws}/resources/{name}")
        .needs(Action.RESOURCE_PUT)
        .tag("resources")
        .summary(
            "Upload the next version of a resource; the same content as the latest version"
                + " answers that version and stores nothing")
        .body(
            "the resource's bytes, sent as is (any content type), at most "
                + settings.maxUploadBytes()
                + " bytes")
        .handle(
            c -> {
              try (InputStream in = c.exchange().bodyStream(settings.maxUploadBytes())) {
                return new Route.Reply(201, c.client().putResource(c.path("name"), in));
              } catch (RuntimeException e) {
                throw tooLarge(e).orElseThrow(() -> e);
              }
            });
    routes
        .get("/workspaces/{ws}/resources/{name}/versions/{version}/content")
        .needs(Action.READ)
        .tag("resources")
        .summary("The content of one version of a resource, as application/octet-stream")
        .handle(
            c -> {
              String name = c.path("name");
              int version = (int) Math.min(Integer.MAX_VALUE, c.id("version"));
              // streamed: a large jar is never held in memory
              return new Route.Stream(
                  "application/octet-stream", name, c.client().readResource(name, version));
            });
    routes
        .delete("/workspaces/{ws}/resources/{name}")
        .needs(Action.RESOURCE_DELETE)
        .tag("resources")
        .summary(
            "Delete every version of a resource, unless a stored workflow version names it (409"
                + " ResourceInUseException with the references)")
        .handle(
            c -> {
              if (!c.client().deleteResource(c.path("name"))) {
                throw new NotFoundException("no resource " + c.path("name"));
              }
              return null;
            });
  }

  /** The upload limit's error if it is what made the store fail (it answers 413, not 503). */
  private static java.util.Optional<Exchange.TooLargeException> tooLarge(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof Exchange.TooLargeException tl) {
        return java.util.Optional.of(tl);
      }
    }
    return java.util.Optional.empty();
  }
}
