package io.flinkplatform.tasks.flink;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;

/**
 * The plugin's settings (from {@code Platform.builder().pluginSetting(...)}) and the environment
 * layer of the Flink configuration. Values may be secrets: {@link #toString()} shows keys only.
 */
final class FlinkSettings {
  /** Default target when a task names none: {@code local}, {@code session}, ... */
  static final String TARGET = "flink.target";

  /** A directory with a Flink {@code config.yaml} or {@code flink-conf.yaml}. */
  static final String CONF_DIR = "flink.conf-dir";

  /** Prefix of single Flink configuration entries, e.g. {@code flink.conf.rest.address}. */
  static final String CONF_PREFIX = "flink.conf.";

  /**
   * No longer read: job ids derive from the platform's installation id, which no other platform
   * has. Kept so a start that still sets it can say so.
   */
  static final String NAMESPACE = "flink.namespace";

  /** How often running jobs are polled. */
  static final String POLL_INTERVAL = "flink.poll-interval";

  /** A directory with core-site.xml / yarn-site.xml / hdfs-site.xml for YARN targets. */
  static final String HADOOP_CONF_DIR = "flink.hadoop-conf-dir";

  /** The jar with Flink's YARN entry points, shipped as {@code yarn.flink-dist-jar}. */
  static final String FLINK_DIST_JAR = "flink.yarn.flink-dist-jar";

  /** How many savepoint records of a task are kept; older ones are disposed of. */
  static final String SAVEPOINT_RETENTION = "flink.savepoint-retention";

  /** How long a submission to YARN waits for the application master before it polls instead. */
  static final String YARN_DEPLOY_TIMEOUT = "flink.yarn.deploy-timeout";

  static final Duration DEFAULT_YARN_DEPLOY_TIMEOUT = Duration.ofMinutes(2);

  /** How long a jar's main may take to build its job before the attempt fails. */
  static final String JAR_BUILD_TIMEOUT = "flink.jar-build-timeout";

  static final Duration DEFAULT_JAR_BUILD_TIMEOUT = Duration.ofMinutes(2);

  /** Where jars from remote file systems are cached. */
  static final String CACHE_DIR = "flink.cache-dir";

  static final int DEFAULT_SAVEPOINT_RETENTION = 5;
  static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);

  /** The lowest layer: what the platform sets unless anyone says otherwise. */
  static final Map<String, String> PLATFORM_DEFAULTS =
      Map.of(
          // keep the latest checkpoint of a cancelled or failed job so it can be restored from
          "execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION",
          "taskmanager.numberOfTaskSlots", "4");

  private final Map<String, String> settings;
  private final Target defaultTarget;
  private final Duration pollInterval;

  FlinkSettings(Map<String, String> settings) {
    this.settings = Map.copyOf(settings);
    this.defaultTarget = Target.of(settings.getOrDefault(TARGET, Target.LOCAL.id()));
    this.pollInterval =
        Optional.ofNullable(settings.get(POLL_INTERVAL))
            .map(io.flinkplatform.spi.OptionType::parseDuration)
            .orElse(DEFAULT_POLL_INTERVAL);
  }

  Duration yarnDeployTimeout() {
    return get(YARN_DEPLOY_TIMEOUT)
        .map(io.flinkplatform.spi.OptionType::parseDuration)
        .orElse(DEFAULT_YARN_DEPLOY_TIMEOUT);
  }

  Duration jarBuildTimeout() {
    return get(JAR_BUILD_TIMEOUT)
        .map(io.flinkplatform.spi.OptionType::parseDuration)
        .orElse(DEFAULT_JAR_BUILD_TIMEOUT);
  }

  int savepointRetention() {
    return get(SAVEPOINT_RETENTION).map(Integer::parseInt).orElse(DEFAULT_SAVEPOINT_RETENTION);
  }

  java.nio.file.Path cacheDir() {
    return get(CACHE_DIR)
        .map(java.nio.file.Path::of)
        .orElse(
            java.nio.file.Path.of(
                System.getProperty("java.io.tmpdir"), "flink-platform", "flink-jars"));
  }

  /** Hadoop configuration: the class path's, then the files of {@link #HADOOP_CONF_DIR}. */
  org.apache.hadoop.conf.Configuration hadoop() {
    org.apache.hadoop.conf.Configuration c = new org.apache.hadoop.conf.Configuration();
    get(HADOOP_CONF_DIR)
        .ifPresent(
            dir -> {
              for (String f : new String[] {"core-site.xml", "hdfs-site.xml", "yarn-site.xml"}) {
                java.io.File file = new java.io.File(dir, f);
                if (file.isFile()) {
                  c.addResource(new org.apache.hadoop.fs.Path(file.toURI()));
                }
              }
            });
    return c;
  }

  /** Which configuration keys tasks may not set ({@link ConfKeys}). */
  ConfKeys confKeys() {
    return new ConfKeys(get(ConfKeys.ALLOWED_SETTING));
  }

  Target defaultTarget() {
    return defaultTarget;
  }

  Duration pollInterval() {
    return pollInterval;
  }

  Optional<String> get(String key) {
    return Optional.ofNullable(settings.get(key));
  }

  /**
   * The directories under which the plugin may delete old savepoints and checkpoints: the savepoint
   * and checkpoint directories of the environment layer (Flink 1.20 keys {@code
   * execution.checkpointing.savepoint-dir} and {@code execution.checkpointing.dir}, or their
   * deprecated {@code state.*} names).
   */
  List<String> stateRoots() {
    Configuration env = environment();
    List<String> roots = new java.util.ArrayList<>();
    env.getOptional(org.apache.flink.configuration.CheckpointingOptions.SAVEPOINT_DIRECTORY)
        .ifPresent(roots::add);
    env.getOptional(org.apache.flink.configuration.CheckpointingOptions.CHECKPOINTS_DIRECTORY)
        .ifPresent(roots::add);
    return List.copyOf(roots);
  }

  /** Platform defaults, then the configuration directory, then {@code flink.conf.*} settings. */
  Configuration environment() {
    Configuration conf = Configuration.fromMap(PLATFORM_DEFAULTS);
    get(CONF_DIR).ifPresent(dir -> conf.addAll(GlobalConfiguration.loadConfiguration(dir)));
    Map<String, String> entries = new TreeMap<>();
    settings.forEach(
        (k, v) -> {
          if (k.startsWith(CONF_PREFIX)) {
            entries.put(k.substring(CONF_PREFIX.length()), v);
          }
        });
    conf.addAll(Configuration.fromMap(entries));
    return conf;
  }

  @Override
  public String toString() {
    return "FlinkSettings" + new TreeMap<>(settings).keySet();
  }
}
