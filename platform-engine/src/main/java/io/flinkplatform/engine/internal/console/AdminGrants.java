package io.flinkplatform.engine.internal.console;

import io.flinkplatform.engine.access.Action;
import io.flinkplatform.engine.access.Grant;
import java.util.List;
import java.util.Map;

/**
 * The grants part of the admin page: those the workspace gave (revocable by its admins) and those
 * it received, and a form to grant one.
 */
final class AdminGrants {
  private AdminGrants() {}

  static void render(StringBuilder b, PageContext c) {
    List<Grant> grants = c.client().grants();
    boolean revoke = c.can(Action.REVOKE);
    if (grants.isEmpty()) {
      b.append("<p class=\"muted\">No grants.</p>");
    } else {
      b.append("<table class=\"grants\"><thead><tr><th>To workspace</th><th>Kind</th>")
          .append("<th>Of workspace</th><th>Name</th><th>Granted</th><th>By</th><th></th>")
          .append("</tr></thead><tbody>");
      for (Grant g : grants) {
        b.append("<tr><td>").append(Html.esc(g.workspace())).append("</td><td>");
        b.append(Html.esc(g.kind())).append("</td><td>").append(Html.esc(g.owner()));
        b.append("</td><td>").append(Html.esc(g.name())).append("</td><td>");
        b.append(Html.esc(Html.time(g.createdAt()))).append("</td><td>");
        b.append(Html.esc(g.createdBy())).append("</td><td>");
        if (revoke && g.owner().equals(c.ws())) {
          b.append(
              ApiButton.of(
                  "POST",
                  c.api("/grants/revoke"),
                  "Revoke",
                  "Revoke " + g.workspace() + "'s use of " + g.kind() + " " + g.name() + "?",
                  Map.of("to", g.workspace(), "kind", g.kind(), "name", g.name()),
                  "danger"));
        }
        b.append("</td></tr>");
      }
      b.append("</tbody></table>");
    }
    if (c.can(Action.GRANT)) {
      b.append(ApiButton.form("POST", c.api("/grants"), "row add-grant"))
          .append("<label>To workspace <input name=\"to\" required></label>")
          .append(ApiButton.fieldError("to"))
          .append("<label>Kind <input name=\"kind\" required list=\"grant-kinds\"></label>")
          .append("<datalist id=\"grant-kinds\"><option value=\"datasource\">")
          .append("<option value=\"workflow\"><option value=\"pool\"><option value=\"catalog\">")
          .append("<option value=\"resource\"></datalist>")
          .append(ApiButton.fieldError("kind"))
          .append("<label>Name <input name=\"name\" required placeholder=\"* for all\"></label>")
          .append(ApiButton.fieldError("name"))
          .append("<button type=\"submit\">Grant</button></form>");
    }
  }
}
