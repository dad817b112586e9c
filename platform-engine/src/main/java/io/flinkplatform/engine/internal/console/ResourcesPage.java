package io.flinkplatform.engine.internal.console;

import io.flinkplatform.engine.access.Action;
import io.flinkplatform.engine.storage.ResourceInfo;
import java.util.List;

/**
 * {@code /w/{ws}/resources}: the workspace's uploaded resources (jars, UDF jars, files) with every
 * version, its SHA-256, size, uploader and a download link; an upload form (the file goes as the
 * raw body of {@code POST /resources/{name}}, a new version when its content changed) and a delete
 * button for editors. A delete that deployed tasks still need is refused by the API, and the page
 * shows the references it names.
 */
final class ResourcesPage implements Page {
  @Override
  public String render(PageContext c) {
    List<ResourceInfo> latest = c.client().resources();
    StringBuilder b = new StringBuilder();
    b.append(
        "<p class=\"muted\">Tasks name a resource as <code>resource:NAME</code> (the latest"
            + " version when the task starts) or <code>resource:NAME@VERSION</code>.</p>");
    if (c.can(Action.RESOURCE_PUT)) {
      b.append("<form class=\"row upload\" data-upload=\"")
          .append(Html.esc(c.api("/resources/{name}")))
          .append(
              "\"><label>Name <input name=\"name\" required pattern=\"[A-Za-z0-9][A-Za-z0-9._-]*\"")
          .append(
              " placeholder=\"udfs.jar\"></label> <label>File <input type=\"file\" name=\"file\"")
          .append(" required></label> <button type=\"submit\" class=\"primary\">Upload</button> ")
          .append(ApiButton.fieldError("name"))
          .append(ApiButton.fieldError("body"))
          .append("</form>");
    }
    if (latest.isEmpty()) {
      return Layout.page(
          c, "Resources", b.append("<p class=\"muted\">No resources yet.</p>").toString());
    }
    b.append("<table class=\"resources\"><thead><tr><th>Name</th><th>Version</th><th>SHA-256</th>")
        .append("<th>Size</th><th>Uploaded</th><th>By</th><th></th></tr></thead><tbody>");
    for (ResourceInfo head : latest) {
      for (ResourceInfo r : c.client().resourceVersions(head.name())) {
        b.append("<tr data-resource=\"")
            .append(Html.esc(r.name()))
            .append("\"><td>")
            .append(r.version() == head.version() ? Html.esc(r.name()) : "")
            .append("</td><td>")
            .append(r.version())
            .append("</td><td><code>")
            .append(Html.esc(r.sha256().substring(0, 16)))
            .append("…</code></td><td>")
            .append(r.size())
            .append(" B</td><td>")
            .append(Html.esc(Html.time(r.createdAt())))
            .append("</td><td>")
            .append(Html.esc(r.createdBy()))
            .append("</td><td><a href=\"")
            .append(
                Html.esc(
                    c.api(
                        "/resources/"
                            + Html.url(r.name())
                            + "/versions/"
                            + r.version()
                            + "/content")))
            .append("\" download>download</a> ");
        if (r.version() == head.version() && c.can(Action.RESOURCE_DELETE)) {
          b.append(
              ApiButton.of(
                  "DELETE",
                  c.api("/resources/" + Html.url(r.name())),
                  "Delete all versions",
                  "Delete every version of " + r.name() + "?",
                  null,
                  "danger"));
        }
        b.append("</td></tr>");
      }
    }
    b.append("</tbody></table>");
    return Layout.page(c, "Resources", b.toString());
  }
}
