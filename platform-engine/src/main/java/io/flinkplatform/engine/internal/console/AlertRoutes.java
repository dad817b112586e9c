package io.flinkplatform.engine.internal.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.flinkplatform.engine.InvalidRequestException;
import io.flinkplatform.engine.NotFoundException;
import io.flinkplatform.engine.access.Action;
import io.flinkplatform.engine.alert.AlertKind;
import io.flinkplatform.engine.alert.AlertQuery;
import io.flinkplatform.engine.alert.Alerts;
import io.flinkplatform.engine.alert.ChannelInfo;
import io.flinkplatform.engine.alert.ChannelSpec;
import io.flinkplatform.engine.alert.ChannelType;
import io.flinkplatform.engine.alert.DeliveryState;
import io.flinkplatform.engine.alert.SilenceSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Alerts (docs/alerts.md) under {@code /workspaces/{ws}/alerts/}: channel types, channels (secret
 * options write-only: a read shows {@link ChannelInfo#MASK}, and a save without the secret, or with
 * the mask, keeps the stored one), rules ({@link AlertRuleJson}), silences and the history. Each
 * calls {@code PlatformClient.alerts()} as the caller, which checks the role and writes the audit.
 */
final class AlertRoutes {
  static final String BASE = "/workspaces/{ws}/alerts";
  static final String CHANNEL_BODY =
      "{\"type\": a channel type of GET alerts/channel-types (required), \"options\": {option:"
          + " value} (secret options are write-only: left out, empty or \"******\" keeps the"
          + " stored value)}";
  static final String SILENCE_BODY =
      "{\"rule\": a rule's name (default every rule), \"workflow\": workflow name pattern with *"
          + " (default all), \"endsAt\": ISO-8601 instant, or \"duration\": how long from now (30m,"
          + " PT4H, 1d), \"reason\": text (required)}";

  private AlertRoutes() {}

  static void register(Routes routes) {
    channels(routes);
    rules(routes);
    silences(routes);
    history(routes);
  }

  private static void channels(Routes routes) {
    routes
        .get(BASE + "/channel-types")
        .needs(Action.READ)
        .tag("alerts")
        .summary("The channel types this platform can send to, each with its typed options")
        .handle(c -> c.client().alerts().channelTypes());
    routes
        .get(BASE + "/channels")
        .needs(Action.READ)
        .tag("alerts")
        .summary("The workspace's channels, their secret options masked")
        .handle(c -> c.client().alerts().channels());
    routes
        .put(BASE + "/channels/{name}")
        .needs(Action.ALERT_CHANNEL_SAVE)
        .tag("alerts")
        .summary("Create the channel or replace its options")
        .body(CHANNEL_BODY)
        .handle(c -> channel(c.client().alerts(), c.path("name"), c.body()));
    routes
        .delete(BASE + "/channels/{name}")
        .needs(Action.ALERT_CHANNEL_DELETE)
        .tag("alerts")
        .summary("Delete the channel, unless a rule sends to it (409 naming the rules)")
        .handle(
            c -> {
              c.client().alerts().deleteChannel(c.path("name"));
              return null;
            });
    routes
        .post(BASE + "/channels/{name}/test")
        .needs(Action.ALERT_TEST)
        .tag("alerts")
        .summary("Send a test alert through the channel now; answers the alert (see its history)")
        .handle(c -> new Route.Reply(201, c.client().alerts().test(c.path("name"))));
  }

  private static void rules(Routes routes) {
    routes
        .get(BASE + "/rules")
        .needs(Action.READ)
        .tag("alerts")
        .summary("The workspace's alert rules")
        .handle(c -> c.client().alerts().rules().stream().map(AlertRuleJson::write).toList());
    routes
        .get(BASE + "/rules/{name}")
        .needs(Action.READ)
        .tag("alerts")
        .summary("An alert rule")
        .handle(
            c ->
                AlertRuleJson.write(
                    c.client()
                        .alerts()
                        .rule(c.path("name"))
                        .orElseThrow(() -> new NotFoundException("no rule " + c.path("name")))));
    routes
        .put(BASE + "/rules/{name}")
        .needs(Action.ALERT_RULE_SAVE)
        .tag("alerts")
        .summary("Create the rule or replace it")
        .body(AlertRuleJson.BODY)
        .handle(
            c -> {
              Alerts alerts = c.client().alerts();
              return AlertRuleJson.write(
                  alerts.putRule(AlertRuleJson.read(c.path("name"), c.body())));
            });
    routes
        .delete(BASE + "/rules/{name}")
        .needs(Action.ALERT_RULE_DELETE)
        .tag("alerts")
        .summary("Delete the rule; its alerts stay in the history")
        .handle(
            c -> {
              c.client().alerts().deleteRule(c.path("name"));
              return null;
            });
  }

  private static void silences(Routes routes) {
    routes
        .get(BASE + "/silences")
        .needs(Action.READ)
        .tag("alerts")
        .summary("The silences not yet ended and those ended in the last 7 days")
        .handle(c -> c.client().alerts().silences());
    routes
        .post(BASE + "/silences")
        .needs(Action.ALERT_SILENCE)
        .tag("alerts")
        .summary("Hold back the alerts of a rule (or of every rule) until a time")
        .body(SILENCE_BODY)
        .handle(c -> new Route.Reply(201, c.client().alerts().silence(silence(c))));
    routes
        .post(BASE + "/silences/{silenceId}/end")
        .needs(Action.ALERT_SILENCE_END)
        .tag("alerts")
        .summary("End a silence now")
        .handle(
            c -> {
              c.client().alerts().endSilence(c.id("silenceId"));
              return null;
            });
  }

  private static void history(Routes routes) {
    routes
        .get(BASE + "/history")
        .needs(Action.READ)
        .tag("alerts")
        .summary(
            "Raised alerts, newest first, each with its deliveries and their tries: {\"alerts\","
                + " \"next\"}; ask for the next page with before=next")
        .query("rule", "only this rule's alerts")
        .query("kind", "only this kind: " + Fields.choices(AlertKind.class))
        .query(
            "state",
            "only alerts with a delivery in this state: " + Fields.choices(DeliveryState.class))
        .query("workflow", "only alerts about this workflow")
        .query("from", "raised at or after this ISO-8601 instant")
        .query("to", "raised at or before this ISO-8601 instant")
        .query("before", "the next page's cursor (the previous answer's next)")
        .query("limit", "1 to " + AlertQuery.MAX_LIMIT + " (default 50)")
        .handle(c -> c.client().alerts().history(query(c, 50)));
    routes
        .get(BASE + "/history/{alertId}")
        .needs(Action.READ)
        .tag("alerts")
        .summary("One alert with its deliveries and their tries")
        .handle(
            c ->
                c.client()
                    .alerts()
                    .alert(c.id("alertId"))
                    .orElseThrow(() -> new NotFoundException("no alert " + c.path("alertId"))));
  }

  /** The history query of a call's parameters. */
  static AlertQuery query(Call c, int defaultLimit) {
    return query(c::query, c.intQuery("limit", defaultLimit, 1, AlertQuery.MAX_LIMIT), false);
  }

  /**
   * The history query of request parameters (the page reads the same ones); with {@code days}, a
   * {@code from} or {@code to} may also be a day ({@code 2026-01-31}).
   */
  static AlertQuery query(
      java.util.function.Function<String, Optional<String>> q, int limit, boolean days) {
    return new AlertQuery(
        q.apply("rule").orElse(null),
        q.apply("kind").map(k -> Fields.constant("kind", k, AlertKind.class)).orElse(null),
        q.apply("state").map(s -> Fields.constant("state", s, DeliveryState.class)).orElse(null),
        q.apply("workflow").orElse(null),
        days
            ? PageParts.instant("from", q.apply("from"), false).orElse(null)
            : q.apply("from").map(s -> Fields.instant("from", s)).orElse(null),
        days
            ? PageParts.instant("to", q.apply("to"), true).orElse(null)
            : q.apply("to").map(s -> Fields.instant("to", s)).orElse(null),
        q.apply("before").map(AlertRoutes::cursor).orElse(null),
        limit);
  }

  private static long cursor(String s) {
    try {
      long v = Long.parseLong(s.trim());
      if (v > 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // the same error below
    }
    throw new InvalidRequestException("before", "before must be a positive whole number, not " + s);
  }

  /**
   * Saves a channel from its body: its options as JSON values (the type converts and checks them);
   * a secret option that is empty or the mask is left out, which keeps the stored secret.
   */
  static ChannelInfo channel(Alerts alerts, String name, JsonNode b) {
    unknown(b, "type", "options", "name");
    Fields.text(b, "name", false)
        .filter(n -> !n.equals(name))
        .ifPresent(
            n -> {
              throw new InvalidRequestException(
                  "name", "name must be the path's channel name " + name + ", not " + n);
            });
    String type = Fields.text(b, "type", true).get();
    JsonNode given = Fields.object(b, "options");
    Optional<ChannelType> known = known(alerts).filter(t -> t.type().equals(type)).findFirst();
    Map<String, Object> options = new LinkedHashMap<>();
    given
        .fields()
        .forEachRemaining(
            e -> {
              Object v = ConsoleJson.MAPPER.convertValue(e.getValue(), Object.class);
              boolean secret =
                  known.stream()
                      .flatMap(t -> t.options().stream())
                      .anyMatch(o -> o.name().equals(e.getKey()) && o.secret());
              boolean keep = v == null || v instanceof String s && s.isEmpty();
              if (secret && (keep || ChannelInfo.MASK.equals(v))) {
                return;
              }
              if (v != null) {
                options.put(e.getKey(), v);
              }
            });
    return alerts.putChannel(new ChannelSpec(name, type, options));
  }

  /**
   * The channel types, to know which options are secret; none for a caller who may not read them,
   * whom {@code putChannel} then refuses naming its own action (not {@code read}).
   */
  private static java.util.stream.Stream<ChannelType> known(Alerts alerts) {
    try {
      return alerts.channelTypes().stream();
    } catch (io.flinkplatform.spi.AccessDeniedException notAReader) {
      return java.util.stream.Stream.empty();
    }
  }

  private static SilenceSpec silence(Call c) throws java.io.IOException {
    JsonNode b = c.body();
    unknown(b, "rule", "workflow", "endsAt", "duration", "reason");
    Optional<Instant> endsAt = Fields.instant(b, "endsAt", false);
    Optional<Duration> length = Fields.text(b, "duration", false).map(AlertRuleJson::duration);
    if (endsAt.isPresent() == length.isPresent()) {
      throw new InvalidRequestException(
          "duration", "give either duration (such as 30m, 4h, 1d) or endsAt (an instant)");
    }
    Instant end = endsAt.orElseGet(() -> c.backend().clock().instant().plus(length.get()));
    return new SilenceSpec(
        Fields.text(b, "rule", false).orElse(null),
        Fields.text(b, "workflow", false).orElse(null),
        end,
        Fields.text(b, "reason", true).get());
  }

  /** Refuses a field the body may not have, naming it and the ones it may. */
  static void unknown(JsonNode b, String... allowed) {
    java.util.List<String> names = java.util.List.of(allowed);
    b.fieldNames()
        .forEachRemaining(
            f -> {
              if (!names.contains(f)) {
                throw new InvalidRequestException(
                    f, "unknown field " + f + "; the fields are " + String.join(", ", names));
              }
            });
  }
}
