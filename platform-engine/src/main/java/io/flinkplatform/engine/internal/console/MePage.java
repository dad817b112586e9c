package io.flinkplatform.engine.internal.console;

import io.flinkplatform.engine.NotFoundException;
import io.flinkplatform.engine.access.TokenInfo;
import io.flinkplatform.engine.access.Users;
import java.time.Instant;
import java.util.List;

/**
 * {@code /me}: the caller's API tokens (never their secrets) with last use and expiry, revoke
 * buttons, and a form that creates one: the new token's secret comes back in the API's answer and
 * the page's script shows it once, in a box with a copy button; reloading the page does not show it
 * again. Below, a form to set the caller's password (sent once, never shown).
 */
final class MePage implements Page {
  @Override
  public String render(PageContext c) {
    String me = c.who().actor().name();
    String api = c.link(Routes.PREFIX + "/me/tokens");
    Instant now = c.backend().clock().instant();
    StringBuilder b = new StringBuilder();
    b.append("<p>Logged in as <strong>").append(Html.esc(me)).append("</strong>");
    if (c.platformAdmin()) {
      b.append(" · platform administrator · <a href=\"")
          .append(c.link("/users"))
          .append("\">Users</a>");
    }
    b.append("</p><h2>API tokens</h2>");
    List<TokenInfo> tokens;
    try {
      tokens = c.backend().users(c.who().actor()).tokens(me);
    } catch (NotFoundException e) {
      b.append("<p class=\"muted\">")
          .append(Html.esc(me))
          .append(" is not in the built-in user store, so it has no API tokens here.</p>");
      return Layout.page(c, "Me", b.toString());
    }
    if (tokens.isEmpty()) {
      b.append("<p class=\"muted\">No tokens yet.</p>");
    } else {
      b.append("<table class=\"tokens\"><thead><tr><th>Name</th><th>Id</th><th>Created</th>")
          .append("<th>Expires</th><th>Last used</th><th>State</th><th></th></tr></thead><tbody>");
      for (TokenInfo t : tokens) {
        boolean active = t.activeAt(now);
        b.append("<tr data-token=\"").append(t.id()).append("\"><td>");
        b.append(Html.esc(t.name())).append("</td><td>").append(t.id()).append("</td><td>");
        b.append(Html.esc(Html.time(t.created()))).append("</td><td>");
        b.append(Html.esc(Html.time(t.expires()))).append("</td><td>");
        b.append(t.lastUsed().isPresent() ? Html.esc(Html.time(t.lastUsed())) : "never");
        b.append("</td><td>");
        if (t.revoked().isPresent()) {
          b.append("revoked ").append(Html.esc(Html.time(t.revoked())));
        } else {
          b.append(active ? "active" : "expired");
        }
        b.append("</td><td>");
        if (t.revoked().isEmpty()) {
          b.append(
              ApiButton.of(
                  "DELETE",
                  api + "/" + t.id(),
                  "Revoke",
                  "Revoke token " + t.name() + "? Whatever uses it stops working at once.",
                  null,
                  "danger"));
        }
        b.append("</td></tr>");
      }
      b.append("</tbody></table>");
    }
    b.append("<h2>Create a token</h2><form class=\"row create-token\" data-api=\"POST ")
        .append(Html.esc(api))
        .append("\" data-then=\"reveal:new-token|token\">")
        .append("<label>Name <input name=\"name\" required></label>")
        .append(ApiButton.fieldError("name"))
        .append("<label>Valid for <input type=\"number\" name=\"validityDays\" min=\"1\" max=\"")
        .append(Users.MAX_TOKEN_VALIDITY.toDays())
        .append("\" value=\"30\" aria-label=\"validity in days\"> days</label>")
        .append(ApiButton.fieldError("validityDays"))
        .append("<button type=\"submit\" class=\"primary\">Create token</button></form>")
        .append("<div class=\"reveal\" data-reveal hidden><p><strong>Copy the token now:")
        .append(" it is shown only this once.</strong> Send it as")
        .append(" <code>Authorization: Bearer &lt;token&gt;</code>.</p>")
        .append("<input id=\"new-token\" class=\"secret\" readonly aria-label=\"new token\">")
        .append(" <button type=\"button\" data-copy=\"new-token\">Copy</button>")
        .append(" <a href=\"")
        .append(c.link("/me"))
        .append("\">Done</a></div>");
    b.append("<h2>Password</h2>")
        .append(
            ApiButton.form(
                "PUT",
                c.link(Routes.PREFIX + "/users/" + Html.url(me) + "/password"),
                "row set-password"))
        .append("<label>Current password <input type=\"password\" name=\"currentPassword\"")
        .append(" required autocomplete=\"current-password\"></label>")
        .append(ApiButton.fieldError("currentPassword"))
        .append("<label>New password <input type=\"password\" name=\"password\" required")
        .append(" autocomplete=\"new-password\" minlength=\"")
        .append(Users.MIN_PASSWORD)
        .append("\"></label>")
        .append(ApiButton.fieldError("password"))
        .append("<button type=\"submit\">Set password</button></form>")
        .append(
            "<p class=\"muted\">A new password revokes your API tokens and ends your console"
                + " sessions.</p>");
    return Layout.page(c, "Me", b.toString());
  }
}
