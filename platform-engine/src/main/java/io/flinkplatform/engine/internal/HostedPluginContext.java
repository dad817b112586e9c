package io.flinkplatform.engine.internal;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.engine.PlatformException;
import io.flinkplatform.spi.PluginContext;
import io.flinkplatform.spi.Secrets;
import io.flinkplatform.spi.TaskPlugin;
import io.flinkplatform.spi.WorkspaceAccess;
import io.flinkplatform.spi.Workspaces;
import java.time.Clock;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * What the engine hands one plugin at start: its own settings only (keys starting with its name and
 * a dot), the platform's key ring and the host's secret source.
 */
final class HostedPluginContext implements PluginContext {
  private final String instanceName;
  private final DataSource database;
  private final Map<String, String> settings;
  private final Clock clock;
  private final Secrets secrets;
  private final Function<String, Optional<String>> secretSource; // null for none
  private final java.util.function.Supplier<String> installationId;
  private final io.flinkplatform.spi.SecretNames secretNames;
  private final WorkspaceAccess access;
  private final boolean sharedMode;
  private final io.flinkplatform.spi.StoredResources resources;
  private final io.flinkplatform.spi.PluginAlerts alerts;
  private final io.flinkplatform.spi.PluginMeters meters;

  HostedPluginContext(
      String instanceName,
      DataSource database,
      Map<String, String> settings,
      Clock clock,
      Secrets secrets,
      Function<String, Optional<String>> secretSource,
      java.util.function.Supplier<String> installationId,
      io.flinkplatform.spi.SecretNames secretNames,
      WorkspaceAccess access,
      boolean sharedMode,
      io.flinkplatform.spi.StoredResources resources,
      io.flinkplatform.spi.PluginAlerts alerts,
      io.flinkplatform.spi.PluginMeters meters) {
    this.meters = requireNonNull(meters, "meters is null");
    this.resources = requireNonNull(resources, "resources is null");
    this.alerts = requireNonNull(alerts, "alerts is null");
    this.access = requireNonNull(access, "access is null");
    this.sharedMode = sharedMode;
    this.instanceName = instanceName;
    this.database = database;
    this.settings = settings;
    this.clock = clock;
    this.secrets = secrets;
    this.secretSource = secretSource;
    this.installationId = installationId;
    this.secretNames = requireNonNull(secretNames, "secretNames is null");
  }

  /** The settings of {@code plugin} among {@code all}: those whose key starts with its name. */
  static Map<String, String> settingsOf(TaskPlugin plugin, Map<String, String> all) {
    String prefix = plugin.name() + ".";
    Map<String, String> own = new TreeMap<>();
    all.forEach(
        (k, v) -> {
          if (k.startsWith(prefix)) {
            own.put(k, v);
          }
        });
    return Collections.unmodifiableMap(own);
  }

  @Override
  public WorkspaceAccess access() {
    return access;
  }

  @Override
  public io.flinkplatform.spi.StoredResources resources() {
    return resources;
  }

  /** Raises alerts for the workspace's rules (part C2 alert-sla: internal.alert.PluginRaiser). */
  @Override
  public io.flinkplatform.spi.PluginAlerts alerts() {
    return alerts;
  }

  /** Gauges on the host's registry, or none (part G flink-meter: Meters.forPlugins). */
  @Override
  public io.flinkplatform.spi.PluginMeters meters() {
    return meters;
  }

  @Override
  public boolean sharedMode() {
    return sharedMode;
  }

  @Override
  public String instanceName() {
    return instanceName;
  }

  @Override
  public DataSource database() {
    return database;
  }

  @Override
  public Map<String, String> settings() {
    return settings;
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public String installationId() {
    return installationId.get();
  }

  @Override
  public Secrets secrets() {
    return secrets;
  }

  @Override
  public Optional<String> secret(String name) {
    return secret(Workspaces.DEFAULT, name);
  }

  @Override
  public Optional<String> secret(String workspace, String name) {
    requireNonNull(workspace, "workspace is null");
    requireNonNull(name, "name is null");
    secretNames.check(name); // before the source: a name outside the rule is never asked for
    Workspaces.problem(workspace)
        .ifPresent(
            p -> {
              throw new IllegalArgumentException(p);
            });
    // a workspace's references live under its name at the source: never another's secrets
    String asked = Workspaces.DEFAULT.equals(workspace) ? name : workspace + "/" + name;
    if (secretSource == null) {
      return Optional.empty();
    }
    try {
      return requireNonNull(secretSource.apply(asked), "the secret source gave null");
    } catch (RuntimeException e) {
      // the source's message is not repeated: it might show the secret
      throw new PlatformException(
          "the secret source failed to resolve '" + asked + "' (" + e.getClass().getName() + ")");
    }
  }

  @Override
  public io.flinkplatform.spi.SecretNames secretNames() {
    return secretNames;
  }

  @Override
  public String toString() {
    return "PluginContext{" + instanceName + ", settings=" + settings.keySet() + "}";
  }
}
