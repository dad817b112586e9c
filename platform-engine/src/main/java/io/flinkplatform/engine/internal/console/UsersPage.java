package io.flinkplatform.engine.internal.console;

import io.flinkplatform.engine.access.Users;
import java.util.List;
import java.util.Map;

/**
 * {@code /users} (platform administrators; others get the refusal): the built-in users with their
 * flags, a form to create one, and buttons to disable or enable a user and to give or take the
 * platform-admin flag. A password is sent once, in the creation request, and never shown.
 */
final class UsersPage implements Page {
  @Override
  public String render(PageContext c) {
    List<Users.UserInfo> users = c.backend().users(c.who().actor()).users();
    String api = c.link(Routes.PREFIX + "/users");
    StringBuilder b = new StringBuilder();
    b.append("<table class=\"users\"><thead><tr><th>User</th><th>Name</th><th>Password</th>")
        .append("<th>Platform admin</th><th>State</th><th>Created</th><th></th></tr></thead>")
        .append("<tbody>");
    for (Users.UserInfo u : users) {
      String path = api + "/" + Html.url(u.name());
      boolean self = u.name().equals(c.who().actor().name());
      b.append("<tr data-user=\"").append(Html.esc(u.name())).append("\"><td>");
      b.append(Html.esc(u.name())).append("</td><td>").append(Html.esc(u.displayName()));
      b.append("</td><td>")
          .append(u.hasPassword() ? "set" : "<span class=\"muted\">tokens only</span>");
      b.append("</td><td>").append(u.platformAdmin() ? "yes" : "no").append("</td><td>");
      b.append(u.disabled() ? "<span class=\"state state-disabled\">disabled</span>" : "enabled");
      b.append("</td><td>").append(Html.esc(Html.time(u.created()))).append("</td><td>");
      if (!self) { // an admin does not lock itself out from here
        b.append(
            ApiButton.of(
                "PUT",
                path + "/disabled",
                u.disabled() ? "Enable" : "Disable",
                u.disabled()
                    ? null
                    : "Disable " + u.name() + "? It can no longer log in, its tokens stop working.",
                Map.of("disabled", !u.disabled()),
                u.disabled() ? null : "danger"));
      }
      if (!(self && u.platformAdmin())) { // an admin does not demote itself from here
        b.append(' ')
            .append(
                ApiButton.of(
                    "PUT",
                    path + "/admin",
                    u.platformAdmin() ? "Remove platform admin" : "Make platform admin",
                    (u.platformAdmin() ? "Take platform administration from " : "Make ")
                        + u.name()
                        + (u.platformAdmin() ? "?" : " a platform administrator?"),
                    Map.of("platformAdmin", !u.platformAdmin()),
                    null));
      }
      b.append("</td></tr>");
    }
    b.append("</tbody></table><h2>Create a user</h2>")
        .append(ApiButton.form("POST", api, "create-user"))
        .append("<label>User name <input name=\"name\" required autocomplete=\"off\"></label>")
        .append(ApiButton.fieldError("name"))
        .append("<label>Display name <input name=\"displayName\" required></label>")
        .append(ApiButton.fieldError("displayName"))
        .append("<label>Password <input name=\"password\" type=\"password\"")
        .append(" autocomplete=\"new-password\" minlength=\"")
        .append(Users.MIN_PASSWORD)
        .append("\"></label>")
        .append(ApiButton.fieldError("password"))
        .append("<p class=\"muted\">Without a password the user logs in with API tokens only.</p>")
        .append("<button type=\"submit\" class=\"primary\">Create user</button></form>");
    return Layout.page(c, "Users", b.toString());
  }
}
