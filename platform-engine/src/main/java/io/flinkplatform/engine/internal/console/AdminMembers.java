package io.flinkplatform.engine.internal.console;

import io.flinkplatform.engine.access.Action;
import io.flinkplatform.engine.access.Member;
import io.flinkplatform.spi.Role;

/** The members part of the admin page: list, add, change role, remove (workspace admins only). */
final class AdminMembers {
  private AdminMembers() {}

  static void render(StringBuilder b, PageContext c) {
    if (!c.can(Action.MEMBERS_READ)) {
      b.append("<p class=\"muted\">Only the workspace's admins see its members.</p>");
      return;
    }
    boolean set = c.can(Action.MEMBER_SET);
    boolean remove = c.can(Action.MEMBER_REMOVE);
    b.append("<table class=\"members\"><thead><tr><th>Member</th><th>Role</th><th>Since</th>")
        .append("<th>Given by</th><th></th></tr></thead><tbody>");
    for (Member m : c.client().members()) {
      String p = m.principal();
      b.append("<tr data-member=\"").append(Html.esc(p)).append("\"><td>");
      b.append(Html.esc(p)).append("</td><td>");
      if (set) {
        b.append(ApiButton.form("PUT", c.api("/members/" + Html.url(p)), "inline"))
            .append(roles(m.role()))
            .append(" <button type=\"submit\">Change</button>")
            .append(ApiButton.fieldError("role"))
            .append("</form>");
      } else {
        b.append(Html.esc(m.role().name().toLowerCase()));
      }
      b.append("</td><td>").append(Html.esc(Html.time(m.createdAt()))).append("</td><td>");
      b.append(Html.esc(m.createdBy())).append("</td><td>");
      if (remove) {
        b.append(
            ApiButton.of(
                "DELETE",
                c.api("/members/" + Html.url(p)),
                "Remove",
                "Take " + p + "'s role in " + c.ws() + " away?",
                null,
                "danger"));
      }
      b.append("</td></tr>");
    }
    b.append("</tbody></table>");
    if (set) {
      b.append(ApiButton.form("PUT", c.api("/members/{principal}"), "row add-member"))
          .append("<label>User <input name=\"principal\" required></label>")
          .append(ApiButton.fieldError("principal"))
          .append("<label>Role ")
          .append(roles(Role.VIEWER))
          .append("</label>")
          .append(ApiButton.fieldError("role"))
          .append("<button type=\"submit\">Add member</button></form>");
    }
  }

  private static String roles(Role selected) {
    StringBuilder b = new StringBuilder("<select name=\"role\" aria-label=\"role\">");
    for (Role r : Role.values()) {
      b.append("<option value=\"")
          .append(r.name())
          .append('"')
          .append(r == selected ? " selected" : "")
          .append('>')
          .append(r.name().toLowerCase())
          .append("</option>");
    }
    return b.append("</select>").toString();
  }
}
