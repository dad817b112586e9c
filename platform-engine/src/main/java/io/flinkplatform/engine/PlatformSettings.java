package io.flinkplatform.engine;

import io.flinkplatform.engine.event.PlatformListener;
import io.flinkplatform.engine.storage.BlobStore;
import io.flinkplatform.spi.Redaction;
import io.flinkplatform.spi.TaskPlugin;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The effective, frozen configuration of a {@link Platform}, as built by {@link Platform.Builder}.
 * {@link #toString()} never shows the database password (nor one inside the JDBC URL, see {@link
 * Redaction#url}), a key, nor any plugin setting's value.
 *
 * @param sharedLogStore where task logs are shipped so that every instance reads them, if anywhere
 * @param logShipInterval how often a running attempt's new log lines are shipped there
 * @param keyRing where the keys that seal values at rest come from, or {@code null} for none
 * @param secretSource resolves the names of secret references, or {@code null} for none
 * @param secretNames the secret names tasks and plugins may ask the secret source for
 * @param resourceStore where uploaded resources are kept; empty for the default directory ({@link
 *     Platform#DEFAULT_RESOURCE_DIRECTORY})
 * @param resourceCacheDirectory where instances keep the resources their tasks staged
 * @param alerts how this instance raises and delivers alerts
 * @param meterRegistry the host's Micrometer {@code MeterRegistry}, if any (held as an Object so
 *     that Micrometer stays an optional dependency)
 */
public record PlatformSettings(
    DataSource dataSource,
    String jdbcUrl,
    String jdbcUser,
    String jdbcPassword,
    int poolSize,
    String instanceName,
    Set<String> labels,
    int workerThreads,
    int claimBatchSize,
    int claimAhead,
    int completionBatchSize,
    Duration pollInterval,
    Duration heartbeatInterval,
    Duration leaseDuration,
    Duration shutdownGracePeriod,
    Duration priorityAgeing,
    Path logDirectory,
    long maxTaskLogSize,
    Optional<BlobStore> sharedLogStore,
    Duration logShipInterval,
    Duration retention,
    Duration housekeepingInterval,
    SchemaMode schemaMode,
    boolean discoverPlugins,
    List<TaskPlugin> plugins,
    Map<String, String> pluginSettings,
    Map<String, String> globalParameters,
    List<PlatformListener> listeners,
    Clock clock,
    Duration cancelGracePeriod,
    int eventQueueCapacity,
    Supplier<KeyRing> keyRing,
    Function<String, Optional<String>> secretSource,
    io.flinkplatform.spi.SecretNames secretNames,
    Optional<io.flinkplatform.engine.access.Authorizer> authorizer,
    boolean sharedMode,
    Optional<io.flinkplatform.engine.console.ConsoleSettings> console,
    Optional<io.flinkplatform.engine.storage.BlobStore> resourceStore,
    Path resourceCacheDirectory,
    io.flinkplatform.engine.alert.AlertSettings alerts,
    Optional<Object> meterRegistry) {

  public PlatformSettings {
    java.util.Objects.requireNonNull(secretNames, "secretNames is null");
    java.util.Objects.requireNonNull(authorizer, "authorizer is null");
    java.util.Objects.requireNonNull(console, "console is null");
    java.util.Objects.requireNonNull(resourceStore, "resourceStore is null");
    java.util.Objects.requireNonNull(resourceCacheDirectory, "resourceCacheDirectory is null");
    java.util.Objects.requireNonNull(sharedLogStore, "sharedLogStore is null");
    java.util.Objects.requireNonNull(alerts, "alerts is null");
    java.util.Objects.requireNonNull(meterRegistry, "meterRegistry is null");
    labels = Set.copyOf(labels);
    plugins = List.copyOf(plugins);
    pluginSettings = Map.copyOf(pluginSettings);
    globalParameters = Map.copyOf(globalParameters);
    for (String name : globalParameters.keySet()) {
      io.flinkplatform.spi.ParameterNames.problem(name)
          .ifPresent(
              p -> {
                throw new IllegalArgumentException("global parameter: " + p);
              });
    }
    listeners = List.copyOf(listeners);
  }

  @Override
  public String toString() {
    return "instanceName="
        + instanceName
        + ", database="
        + (dataSource != null
            ? "host DataSource"
            : Redaction.url(jdbcUrl)
                + " (user "
                + jdbcUser
                + ", password "
                + (jdbcPassword == null || jdbcPassword.isEmpty() ? "none" : "****")
                + ", pool "
                + poolSize
                + ")")
        + ", labels="
        + labels
        + ", workerThreads="
        + workerThreads
        + ", claimBatchSize="
        + claimBatchSize
        + ", claimAhead="
        + claimAhead
        + ", completionBatchSize="
        + completionBatchSize
        + ", pollInterval="
        + pollInterval
        + ", heartbeatInterval="
        + heartbeatInterval
        + ", leaseDuration="
        + leaseDuration
        + ", shutdownGracePeriod="
        + shutdownGracePeriod
        + ", priorityAgeing="
        + priorityAgeing
        + ", logDirectory="
        + logDirectory
        + ", resourceStore="
        + resourceStore.map(io.flinkplatform.engine.storage.BlobStore::describe).orElse("default")
        + ", resourceCacheDirectory="
        + resourceCacheDirectory
        + ", maxTaskLogSize="
        + maxTaskLogSize
        + ", sharedLogStore="
        + sharedLogStore.map(BlobStore::describe).orElse("none")
        + ", logShipInterval="
        + logShipInterval
        + ", retention="
        + (retention.isZero() ? "off" : retention)
        + ", housekeepingInterval="
        + housekeepingInterval
        + ", schemaMode="
        + schemaMode
        + ", discoverPlugins="
        + discoverPlugins
        + ", extraPlugins="
        + plugins.stream().map(TaskPlugin::name).toList()
        + ", pluginSettings="
        + new java.util.TreeSet<>(pluginSettings.keySet())
        + ", globalParameters="
        + new java.util.TreeSet<>(globalParameters.keySet())
        + ", listeners="
        + listeners.size()
        + ", clock="
        + clock
        + ", cancelGracePeriod="
        + cancelGracePeriod
        + ", eventQueueCapacity="
        + eventQueueCapacity
        + ", keyRing="
        + (keyRing == null ? "none" : "given")
        + ", secretSource="
        + (secretSource == null ? "none" : "given")
        + ", secretNames="
        + secretNames.patterns();
  }
}
