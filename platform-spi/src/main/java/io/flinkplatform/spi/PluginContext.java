package io.flinkplatform.spi;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * What the platform hands a plugin when it starts ({@link TaskPlugin#start(PluginContext)}).
 *
 * <p>Plugins keep their own tables (datasource registries, savepoint records) in the platform
 * database: ship Flyway-style migrations under {@link TaskPlugin#schemaLocation()} and use {@link
 * #database()} to read and write them.
 */
public interface PluginContext {

  /** The name of the platform instance starting the plugin, for logs. */
  String instanceName();

  /**
   * The platform's own database. Connections must be closed after use; the pool belongs to the
   * platform and is closed after {@link TaskPlugin#stop()}.
   */
  DataSource database();

  /**
   * The settings the host gave for this plugin ({@code Platform.builder().pluginSetting(key,
   * value)}): only keys prefixed with the plugin's {@link TaskPlugin#name()} and a dot, e.g. {@code
   * sql.maxPoolSize} for the plugin {@code sql}. Values may be secrets: never log them.
   */
  Map<String, String> settings();

  /** One setting, if given. */
  default Optional<String> setting(String key) {
    return Optional.ofNullable(settings().get(key));
  }

  /** The platform's clock. */
  Clock clock();

  /**
   * The id of this platform installation: random, generated once per platform database and stored
   * in it, so every instance on that database reads the same value and no other platform (another
   * database, or one of the same name created again) has it. Plugins use it to name things outside
   * the database that must never be mistaken for another platform's, e.g. jobs on a shared cluster.
   * Treat it as confidential: derive names from it instead of printing it.
   *
   * @throws UnsupportedOperationException if the platform starting the plugin provides none
   */
  default String installationId() {
    throw new UnsupportedOperationException("this platform provides no installation id");
  }

  /**
   * The platform's cipher for values kept at rest, under the host's key ring; {@link
   * Secrets#none()} when the host gave none.
   */
  default Secrets secrets() {
    return Secrets.none();
  }

  /**
   * The secret called {@code name}, from the host's secret source ({@code
   * Platform.builder().secretSource(...)}), e.g. for the reference {@code secret:NAME} a workflow
   * gives as the value of a secret option; empty if the host has none of that name (or no source).
   * Never log what it returns.
   *
   * @throws SecretNames.SecretNotAllowedException if {@link #secretNames()} does not allow {@code
   *     name}; the source is then not asked
   */
  default Optional<String> secret(String name) {
    secretNames().check(name);
    return Optional.empty();
  }

  /**
   * The secret {@code name} as workspace {@code workspace} names it: tasks and definitions of a
   * workspace resolve their secret references here, never with {@link #secret(String)}. The default
   * workspace asks the host's secret source for {@code name}; any other for {@code workspace/name},
   * so one workspace's references never reach another's secrets (the host keeps each workspace's
   * secrets under its name). The name is checked against {@link #secretNames()} first.
   *
   * @throws SecretNames.SecretNotAllowedException if {@link #secretNames()} does not allow {@code
   *     name}; the source is then not asked
   */
  default Optional<String> secret(String workspace, String name) {
    if (Workspaces.DEFAULT.equals(workspace)) {
      return secret(name);
    }
    secretNames().check(name);
    return Optional.empty();
  }

  /**
   * The secret names the host allows ({@code Platform.builder().secretNames(...)}): a plugin that
   * saves a secret name (a datasource's password reference) checks it there, so a name outside them
   * is refused before it is stored and not only when it is resolved.
   */
  default SecretNames secretNames() {
    return SecretNames.defaults();
  }

  /**
   * The platform's authorization, grants and audit trail ({@link WorkspaceAccess}).
   *
   * @throws UnsupportedOperationException if the platform starting the plugin provides none
   */
  default WorkspaceAccess access() {
    throw new UnsupportedOperationException("this platform provides no workspace access");
  }

  /**
   * The files uploaded to the platform's resource store, for tasks that name them with {@code
   * resource:name} references ({@link StoredResources}).
   *
   * @throws UnsupportedOperationException if the platform starting the plugin provides none
   */
  default StoredResources resources() {
    throw new UnsupportedOperationException("this platform provides no resource store");
  }

  /**
   * Whether the host runs the platform in shared mode ({@code Platform.builder().sharedMode(true)},
   * docs/security.md): no user code runs inside the platform's JVM, so plugins refuse whatever
   * would run it there (an in-JVM Flink cluster, building a user jar's job graph in-process).
   */
  default boolean sharedMode() {
    return false;
  }

  /**
   * Raises alerts for what a plugin watches (a Flink job restarting, failing checkpoints), for the
   * workspace's alert rules of that kind ({@link PluginAlerts}). The default raises nothing.
   */
  default PluginAlerts alerts() {
    return PluginAlerts.NONE;
  }

  /**
   * Gauges on the host's meter registry ({@code Platform.builder().meterRegistry(...)}), for what a
   * plugin counts (Flink jobs by state); see {@link PluginMeters} for the rules on names and tags.
   * The default measures nothing.
   */
  default PluginMeters meters() {
    return PluginMeters.NONE;
  }
}
