package io.flinkplatform.engine.internal.console;

import java.util.Map;

/** Registers the console's pages with the router; each page lives in a class of its own. */
final class ConsolePageSet {
  private ConsolePageSet() {}

  static void register(PageRouter router) {
    router.add("/", ConsolePageSet::home);
    OverviewPage.register(router);
    WorkflowsPage.register(router);
    WorkflowPage.register(router);
    DeployPage.register(router);
    RunsPage.register(router);
    RunPage.register(router);
    LogPage.register(router);
    router.add("/w/{ws}/schedules", new SchedulesPage());
    router.add("/w/{ws}/schedules/backfills", new BackfillsFragment());
    router.add("/instances", new InstancesPage());
    router.add("/instances/table", InstancesPage::table);
    router.add("/w/{ws}/admin", new AdminPage());
    router.add("/users", new UsersPage());
    router.add("/me", new MePage());
    router.add("/w/{ws}/resources", new ResourcesPage());
    // alerts (issue 16, console part)
    AlertsPage.register(router);
  }

  /** The workspaces the caller may open. */
  private static String home(PageContext c) {
    StringBuilder b = new StringBuilder("<ul class=\"workspaces\">");
    for (Map.Entry<String, io.flinkplatform.spi.Role> e : c.roles().entrySet()) {
      b.append("<li><a href=\"")
          .append(c.link("/w/" + Html.url(e.getKey()) + "/"))
          .append("\">")
          .append(Html.esc(e.getKey()))
          .append("</a> <span class=\"muted\">")
          .append(e.getValue().name().toLowerCase())
          .append("</span></li>");
    }
    if (c.roles().isEmpty()) {
      b.append("<li>You are not a member of any workspace yet: ask an administrator.</li>");
    }
    return Layout.page(c, "Workspaces", b.append("</ul>").toString());
  }
}
