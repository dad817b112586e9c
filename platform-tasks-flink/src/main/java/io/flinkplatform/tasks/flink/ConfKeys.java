package io.flinkplatform.tasks.flink;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The Flink configuration keys a task may not set ({@code flink_conf}, {@code SET}) because they
 * decide where code, data or credentials go: which cluster receives the job and its jars, which
 * local files ship with it, what the JVMs and containers run with, which file systems and
 * credentials it uses, where state, HA metadata, history and metrics go. The platform's own
 * settings ({@code flink.conf.*}) set them; the plugin setting {@value #ALLOWED_SETTING} lets tasks
 * set some of them too. An entry ending in {@code *} matches every key it begins.
 */
final class ConfKeys {
  /** Comma-separated keys (or prefixes ending in {@code *}) that tasks may set after all. */
  static final String ALLOWED_SETTING = "flink.allowed-conf-keys";

  static final List<String> RESTRICTED =
      List.of(
          // which cluster receives the job, and how its processes are reached or bound
          "execution.target",
          "rest.address",
          "rest.port",
          "rest.bind-*",
          "web.port",
          "jobmanager.rpc.*",
          "jobmanager.bind-host",
          "taskmanager.bind-host",
          "blob.server.*",
          "yarn.application.id",
          "kubernetes.*",
          "high-availability*",
          "$internal.*",
          // what ships with the job: jars, files, archives, the Flink distribution, Python code
          "pipeline.jars",
          "pipeline.classpaths",
          "pipeline.cached-files",
          "yarn.ship-files",
          "yarn.ship-directories",
          "yarn.ship-archives",
          "yarn.provided.lib.dirs",
          "yarn.provided.usrlib.dir",
          "yarn.flink-dist-jar",
          "yarn.staging-directory",
          "python.*",
          // what the JVMs and containers run with: java options, conf/log/pid dirs, environment
          "env.*",
          "containerized.master.env.*",
          "containerized.taskmanager.env.*",
          "yarn.application-master.env.*",
          "yarn.taskmanager.env.*",
          // file systems: endpoints, credentials, default scheme, allowed fallback file systems
          "fs.*",
          "s3.*",
          "s3a.*",
          "presto.s3.*",
          "gs.*",
          "flink.hadoop.*",
          "flink.yarn.*",
          // credentials and identity: Kerberos keytabs and principals, SSL, the plugin's YARN tags
          "security.*",
          "yarn.security.*",
          "yarn.tags",
          // where state and history go (retention deletes only under the platform's directories)
          "state.checkpoints.dir",
          "state.savepoints.dir",
          "execution.checkpointing.dir",
          "execution.checkpointing.savepoint-dir",
          "jobmanager.archive.fs.dir",
          "historyserver.*",
          // where metrics go: a reporter can ship them anywhere
          "metrics.reporter*");

  private final List<String> allowed;

  ConfKeys(Optional<String> allowedSetting) {
    this.allowed =
        allowedSetting
            .map(
                s ->
                    Arrays.stream(s.split(","))
                        .map(String::trim)
                        .filter(x -> !x.isEmpty())
                        .toList())
            .orElse(List.of());
  }

  /** Why a task may not set {@code key}, if it may not. */
  Optional<String> refusal(String key) {
    String k = key.trim().toLowerCase(Locale.ROOT);
    Optional<String> rule = RESTRICTED.stream().filter(r -> matches(r, k)).findFirst();
    if (rule.isEmpty() || allowed.stream().anyMatch(a -> matches(a.toLowerCase(Locale.ROOT), k))) {
      return Optional.empty();
    }
    return Optional.of(
        "'"
            + key
            + "' is reserved to the platform's settings (it decides where code or data goes;"
            + " rule '"
            + rule.get()
            + "'); the plugin setting "
            + ALLOWED_SETTING
            + " can allow it");
  }

  /** The problems of a task's {@code flink_conf}, one per refused key. */
  List<String> problems(String option, Map<String, String> conf) {
    List<String> out = new ArrayList<>();
    for (String key : new java.util.TreeSet<>(conf.keySet())) {
      refusal(key).ifPresent(r -> out.add("option '" + option + "': key " + r));
    }
    return out;
  }

  private static boolean matches(String rule, String key) {
    return rule.endsWith("*")
        ? key.startsWith(rule.substring(0, rule.length() - 1))
        : key.equals(rule);
  }
}
