package io.flinkplatform.engine.internal.console;

import io.flinkplatform.engine.access.Action;
import io.flinkplatform.spi.AccessDeniedException;
import io.flinkplatform.spi.Role;
import java.util.Optional;

/**
 * Deploy a workflow from its JSON definition ({@code /w/{ws}/deploy}, {@code ?from=<name>} starts
 * from a deployed one): the form posts the text as is to {@code POST /workflows}; a definition that
 * does not parse is shown next to the text ({@code body}), validation problems listed under it.
 */
final class DeployPage {
  static final String PATH = "/w/{ws}/deploy";
  static final String SAMPLE =
      "{\n  \"name\": \"my_workflow\",\n  \"description\": \"\",\n  \"tasks\": [\n"
          + "    {\"id\": \"extract\", \"type\": \"shell\", \"options\": {\"script\": \"echo hi\"}}\n"
          + "  ],\n  \"edges\": []\n}";

  private DeployPage() {}

  static void register(PageRouter router) {
    router.add(PATH, DeployPage::render);
  }

  static String render(PageContext c) {
    if (!c.can(Action.DEPLOY)) {
      throw new AccessDeniedException(
          c.who().actor().name(),
          c.ws(),
          Action.DEPLOY.name().toLowerCase(),
          Optional.of(Role.EDITOR),
          "deploying needs the editor role");
    }
    String text =
        c.query("from")
            .flatMap(name -> c.client().workflow(name))
            .map(d -> PageParts.json(d.workflow()))
            .orElse(SAMPLE);
    StringBuilder b = new StringBuilder();
    b.append("<form class=\"deploy\" data-api=\"POST ")
        .append(c.api("/workflows"))
        .append("\" data-then=\"goto:/w/")
        .append(Html.url(c.ws()))
        .append("/workflows/{}|name\">")
        .append("<label for=\"definition\">Workflow definition (JSON)</label>")
        .append("<textarea id=\"definition\" name=\"definition\" data-json spellcheck=\"false\"")
        .append(" rows=\"24\">")
        .append(Html.esc(text))
        .append("</textarea>")
        .append("<p class=\"error\" data-field-error=\"body\"></p>")
        .append("<ul class=\"error problems\" data-field-error=\"problems\"></ul>")
        .append("<button type=\"submit\" class=\"primary\">Deploy</button></form>")
        .append("<p class=\"muted\">A definition that did not change deploys no new version. The")
        .append(" JSON form is described in the documentation (WorkflowJson).</p>");
    return Layout.page(c, "Deploy a workflow", b.toString());
  }
}
