package io.flinkplatform.engine.internal.definition;

import io.flinkplatform.spi.TaskPlugin;
import io.flinkplatform.spi.TaskType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Task types by id: the host's extra plugins plus those found through ServiceLoader. A plugin is
 * known by its name: a second plugin of a name already known (the same plugin given in code and
 * found on the class path) is logged and neither registered nor started.
 */
public final class PluginRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(PluginRegistry.class);
  private final Map<String, TaskType> types = new TreeMap<>();
  private final Map<String, String> owners = new TreeMap<>();
  private final List<TaskPlugin> plugins = new ArrayList<>();

  public PluginRegistry(List<TaskPlugin> extra, boolean discover, ClassLoader loader) {
    extra.forEach(this::add);
    if (discover) {
      ServiceLoader<TaskPlugin> found = ServiceLoader.load(TaskPlugin.class, loader);
      var it = found.iterator();
      while (true) {
        try {
          if (!it.hasNext()) {
            break;
          }
          add(it.next());
        } catch (ServiceConfigurationError | LinkageError e) {
          // e.g. a plugin whose provided dependencies (Flink) the host did not add
          LOG.warn("skipping a task plugin that cannot be loaded: {}", e.toString());
        }
      }
    }
  }

  private void add(TaskPlugin plugin) {
    for (TaskPlugin earlier : plugins) {
      if (earlier.name().equals(plugin.name())) {
        // typically given in code and also found on the class path: one instance is started
        LOG.warn(
            "task plugin {} ({}) is given twice (in code and on the class path?); keeping the"
                + " first ({}), the other is not started",
            plugin.name(),
            plugin.getClass().getName(),
            earlier.getClass().getName());
        return;
      }
    }
    plugins.add(plugin);
    for (TaskType type : plugin.taskTypes()) {
      String prior = owners.putIfAbsent(type.id(), plugin.name());
      if (prior != null) {
        if (!prior.equals(plugin.name()) || types.get(type.id()).getClass() != type.getClass()) {
          LOG.warn(
              "task type '{}' of plugin {} is already offered by plugin {}; keeping the first",
              type.id(),
              plugin.name(),
              prior);
        }
        continue;
      }
      types.put(type.id(), type);
    }
  }

  /** Every plugin in load order: the host's first, then the discovered ones. */
  public List<TaskPlugin> plugins() {
    return List.copyOf(plugins);
  }

  Optional<TaskType> find(String id) {
    return Optional.ofNullable(types.get(id));
  }

  /** The known ids, sorted, for error messages. */
  public List<String> ids() {
    return List.copyOf(types.keySet());
  }
}
