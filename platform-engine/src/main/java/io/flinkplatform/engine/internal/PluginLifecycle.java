package io.flinkplatform.engine.internal;

import com.google.common.collect.Lists;
import io.flinkplatform.engine.KeyRing;
import io.flinkplatform.engine.PlatformException;
import io.flinkplatform.engine.PlatformSettings;
import io.flinkplatform.engine.internal.definition.PluginRegistry;
import io.flinkplatform.engine.internal.store.Schema;
import io.flinkplatform.spi.PluginContext;
import io.flinkplatform.spi.Secrets;
import io.flinkplatform.spi.TaskPlugin;
import io.flinkplatform.spi.WorkspaceAccess;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the task plugins of one instance, each with its own context (its settings, the checked key
 * ring, its schema applied), and stops the started ones in reverse order. A plugin that fails to
 * start, or misses a class on the class path, fails the instance's start with a message naming it.
 */
final class PluginLifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(PluginLifecycle.class);
  private final PlatformSettings settings;
  private final List<TaskPlugin> started = new ArrayList<>();

  PluginLifecycle(PlatformSettings settings) {
    this.settings = settings;
  }

  /** The host's key ring, checked against the recorded fingerprints; none if not given. */
  Secrets keyRing(DataSource ds) {
    if (settings.keyRing() == null) {
      return Secrets.none();
    }
    KeyRing ring;
    try {
      ring = settings.keyRing().get();
    } catch (RuntimeException e) {
      // the exception's message is the host's: it is not repeated, in case it shows a key
      throw new PlatformException(
          "["
              + settings.instanceName()
              + "] the key ring source failed ("
              + e.getClass().getName()
              + ")");
    }
    if (ring == null) {
      throw new PlatformException(
          "[" + settings.instanceName() + "] the key ring source gave null");
    }
    KeyChecks.verify(ds, ring, settings.clock().millis());
    LOG.info("[{}] key ring: {}", settings.instanceName(), ring);
    return ring;
  }

  /** Applies each plugin's schema and starts it; the first failure ends the start. */
  void start(
      PluginRegistry plugins,
      DataSource ds,
      Secrets secrets,
      Supplier<String> installationId,
      WorkspaceAccess access,
      io.flinkplatform.spi.StoredResources resources,
      io.flinkplatform.spi.PluginAlerts alerts,
      io.flinkplatform.spi.PluginMeters meters) {
    Set<String> unread = new TreeSet<>(settings.pluginSettings().keySet());
    for (TaskPlugin plugin : plugins.plugins()) {
      Map<String, String> own = HostedPluginContext.settingsOf(plugin, settings.pluginSettings());
      unread.removeAll(own.keySet());
      PluginContext context =
          new HostedPluginContext(
              settings.instanceName(),
              ds,
              own,
              settings.clock(),
              secrets,
              settings.secretSource(),
              installationId,
              settings.secretNames(),
              access,
              settings.sharedMode(),
              resources,
              alerts,
              meters);
      Schema.applyPlugin(ds, settings.schemaMode(), plugin);
      startOne(plugin, context);
      started.add(plugin);
    }
    if (!unread.isEmpty()) {
      LOG.warn(
          "[{}] plugin settings {} do not start with the name of a plugin and a dot; no plugin"
              + " sees them",
          settings.instanceName(),
          unread);
    }
  }

  private void startOne(TaskPlugin plugin, PluginContext context) {
    try {
      plugin.start(context);
    } catch (RuntimeException e) {
      throw new PlatformException(
          "["
              + settings.instanceName()
              + "] plugin "
              + plugin.name()
              + " failed to start: "
              + e.getMessage(),
          e);
    } catch (LinkageError e) {
      // a class the plugin needs is not on the class path (a provided dependency the host did
      // not add): name the plugin and the class instead of a raw NoClassDefFoundError
      throw new PlatformException(
          "["
              + settings.instanceName()
              + "] plugin "
              + plugin.name()
              + " cannot start: it needs "
              + String.valueOf(e.getMessage()).replace('/', '.')
              + ", which is missing from the class path ("
              + e.getClass().getSimpleName()
              + "); add the dependency that provides it",
          e);
    }
  }

  /** Stops the started plugins in reverse order; a failure is logged, the others still stop. */
  void stop() {
    for (TaskPlugin plugin : Lists.reverse(started)) {
      try {
        plugin.stop();
      } catch (RuntimeException e) {
        LOG.warn(
            "[{}] plugin {} failed to stop cleanly", settings.instanceName(), plugin.name(), e);
      }
    }
    started.clear();
  }
}
