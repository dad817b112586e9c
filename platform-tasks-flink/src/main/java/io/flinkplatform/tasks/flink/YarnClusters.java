package io.flinkplatform.tasks.flink;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.deployment.ClusterSpecification;
import org.apache.flink.client.deployment.application.ApplicationConfiguration;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.client.program.ClusterClientProvider;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.yarn.YarnClientYarnClusterInformationRetriever;
import org.apache.flink.yarn.YarnClusterClientFactory;
import org.apache.flink.yarn.YarnClusterDescriptor;
import org.apache.flink.yarn.configuration.YarnConfigOptions;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.YarnApplicationAttemptState;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.exceptions.ApplicationAttemptNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The YARN side of the YARN targets: deploys application and per-job clusters through Flink's
 * {@link YarnClusterDescriptor}, finds an attempt's application again by its tag, reports the
 * application's state and the REST address of its Flink cluster, and kills it.
 *
 * <p>A YARN job's cluster is recorded as {@code yarn://<tag>}; the tag is derived from the job id
 * (which is derived from the attempt), so any instance finds the application without knowing its
 * application id, and a second owner never deploys it again.
 */
final class YarnClusters implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(YarnClusters.class);
  static final String APPLICATION_TYPE = "Apache Flink";

  private final FlinkSettings settings;
  private final Map<String, ApplicationId> byTag = new ConcurrentHashMap<>();
  private GatedYarnClient client;
  private final Object archivesLock = new Object();
  private JobArchives archives;
  private volatile boolean closed;

  YarnClusters(FlinkSettings settings) {
    this.settings = settings;
  }

  private synchronized GatedYarnClient client() {
    if (closed) {
      throw new IllegalStateException("the flink plugin is stopped: no YARN client");
    }
    if (client == null) {
      GatedYarnClient c = new GatedYarnClient();
      c.init(new YarnConfiguration(settings.hadoop()));
      c.start();
      client = c;
    }
    return client;
  }

  /** Where the clusters deployed here archive their job ({@link JobArchives}). */
  JobArchives archives() throws IOException {
    synchronized (archivesLock) {
      if (archives == null) {
        archives = JobArchives.of(settings.environment(), settings.hadoop());
      }
      return archives;
    }
  }

  /** The application of a {@code yarn://<tag>} cluster, newest first if there are several. */
  Optional<ApplicationReport> find(String cluster) throws Exception {
    String tag = YarnTags.tagOf(cluster);
    ApplicationId known = byTag.get(tag);
    if (known != null) {
      return Optional.of(client().getApplicationReport(known));
    }
    List<ApplicationReport> found =
        client()
            .getApplications(
                Set.of(APPLICATION_TYPE), EnumSet.allOf(YarnApplicationState.class), Set.of(tag));
    Optional<ApplicationReport> newest =
        found.stream().max(Comparator.comparingLong(ApplicationReport::getStartTime));
    newest.ifPresent(r -> byTag.put(tag, r.getApplicationId()));
    return newest;
  }

  /**
   * Deploys the cluster of one job: an application cluster (the program's main runs in the cluster)
   * when {@code program} is given, else a per-job cluster for {@code graph}. Returns once YARN runs
   * the application master. If that has not happened within {@code flink.yarn.deploy-timeout} (the
   * queue cannot schedule it, the cluster lacks the memory or cores), the application is killed and
   * this fails naming the setting; an application whose files were still uploading is never
   * submitted (see {@link GatedYarnClient}), so an abandoned deployment leaves nothing behind.
   * {@code temporary} files are deleted once Flink's deployment ended.
   */
  ApplicationId deploy(
      Configuration conf,
      JobID jobId,
      String name,
      Optional<ApplicationConfiguration> program,
      Optional<JobGraph> graph,
      List<java.nio.file.Path> temporary)
      throws Exception {
    GatedYarnClient yarn = client();
    FutureTask<ApplicationId> task =
        new FutureTask<>(
            () -> {
              try {
                return deployNow(yarn, conf, jobId, name, program, graph);
              } catch (Exception e) {
                if (yarn.refused(YarnTags.tag(jobId))) {
                  LOG.info(
                      "the deployment of Flink job {} given up at {} ended: {}",
                      jobId,
                      FlinkSettings.YARN_DEPLOY_TIMEOUT,
                      FlinkRuntime.rootMessage(e));
                }
                throw e;
              } finally {
                yarn.forget(YarnTags.tag(jobId));
                for (java.nio.file.Path f : temporary) {
                  java.nio.file.Files.deleteIfExists(f);
                }
              }
            });
    Thread t = new Thread(task, "flink-yarn-deploy-" + jobId);
    t.setDaemon(true);
    t.start();
    Duration timeout = settings.yarnDeployTimeout();
    try {
      return task.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      // from here on the deployment cannot submit; what it submitted already YARN knows: kill it
      yarn.refuse(YarnTags.tag(jobId));
      if (task.isDone()) {
        yarn.forget(YarnTags.tag(jobId));
      }
      Optional<ApplicationReport> r = find(YarnTags.cluster(jobId));
      r.ifPresent(this::killQuietly);
      throw new FlinkTaskException(
          r.map(
                  report ->
                      describe(report)
                          + " of Flink job "
                          + jobId
                          + " did not get its application master within "
                          + timeout
                          + " ("
                          + FlinkSettings.YARN_DEPLOY_TIMEOUT
                          + ")"
                          + diagnostics(report)
                          + "; the application was killed")
              .orElse(
                  "the application of Flink job "
                      + jobId
                      + " was not submitted to YARN within "
                      + timeout
                      + " ("
                      + FlinkSettings.YARN_DEPLOY_TIMEOUT
                      + "; Flink was still uploading its files); it will not be submitted"));
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception ex ? ex : e;
    }
  }

  private static String diagnostics(ApplicationReport r) {
    String d = r.getDiagnostics() == null ? "" : SqlSyntax.firstLine(r.getDiagnostics());
    return d.isEmpty() ? "" : " (YARN: " + d + ")";
  }

  private void killQuietly(ApplicationReport r) {
    try {
      kill(r);
    } catch (Exception e) {
      LOG.warn("killing YARN application {} failed", r.getApplicationId(), e);
    }
  }

  private ApplicationId deployNow(
      YarnClient yarn,
      Configuration conf,
      JobID jobId,
      String name,
      Optional<ApplicationConfiguration> program,
      Optional<JobGraph> graph)
      throws Exception {
    Configuration c = new Configuration(conf);
    c.set(
        DeploymentOptions.TARGET,
        program.isPresent() ? Target.YARN_APPLICATION.id() : Target.YARN_PER_JOB.id());
    c.set(DeploymentOptions.ATTACHED, false);
    c.set(YarnConfigOptions.APPLICATION_NAME, name);
    c.set(YarnConfigOptions.APPLICATION_TYPE, APPLICATION_TYPE);
    c.set(YarnConfigOptions.APPLICATION_TAGS, YarnTags.tag(jobId));
    settings
        .get(FlinkSettings.FLINK_DIST_JAR)
        .ifPresent(jar -> c.set(YarnConfigOptions.FLINK_DIST_JAR, jar));
    // the cluster archives its job before it shuts down: the cause of a failure is read there
    JobArchives archived = archives();
    archived.prepare(Instant.now());
    c.set(JobManagerOptions.ARCHIVE_DIR, archived.directory());
    ClusterSpecification spec = new YarnClusterClientFactory().getClusterSpecification(c);
    try (YarnClusterDescriptor d =
        new YarnClusterDescriptor(
            c,
            new YarnConfiguration(settings.hadoop()),
            yarn,
            YarnClientYarnClusterInformationRetriever.create(yarn),
            true)) {
      ClusterClientProvider<ApplicationId> provider =
          program.isPresent()
              ? d.deployApplicationCluster(spec, program.get())
              : d.deployJobCluster(spec, graph.orElseThrow(), true);
      try (ClusterClient<ApplicationId> cc = provider.getClusterClient()) {
        ApplicationId id = cc.getClusterId();
        byTag.put(YarnTags.tag(jobId), id);
        LOG.info("deployed YARN application {} ({}) for Flink job {}", id, name, jobId);
        return id;
      }
    }
  }

  /**
   * Whether the master of a cluster's application has exited: its current attempt ended. True when
   * YARN no longer knows the application or its attempt.
   */
  boolean masterExited(String cluster) throws Exception {
    Optional<ApplicationReport> r = find(cluster);
    if (r.isEmpty() || r.get().getCurrentApplicationAttemptId() == null) {
      return true;
    }
    try {
      YarnApplicationAttemptState s =
          client()
              .getApplicationAttemptReport(r.get().getCurrentApplicationAttemptId())
              .getYarnApplicationAttemptState();
      return s == YarnApplicationAttemptState.FINISHED
          || s == YarnApplicationAttemptState.FAILED
          || s == YarnApplicationAttemptState.KILLED;
    } catch (ApplicationAttemptNotFoundException e) {
      return true;
    }
  }

  /** Forgets the application of a cluster whose job ended (its tag is never looked up again). */
  void forget(String cluster) {
    byTag.remove(YarnTags.tagOf(cluster));
  }

  /** Adds local files to those YARN ships with the application ({@code yarn.ship-files}). */
  static void ship(Configuration conf, List<java.io.File> files) {
    List<String> ship =
        new java.util.ArrayList<>(conf.getOptional(YarnConfigOptions.SHIP_FILES).orElse(List.of()));
    files.forEach(f -> ship.add(f.getAbsolutePath()));
    conf.set(YarnConfigOptions.SHIP_FILES, ship.stream().distinct().toList());
  }

  /** The REST address of a running application's Flink cluster, if its master is up. */
  static Optional<String> restAddress(ApplicationReport r) {
    if (r.getYarnApplicationState() != YarnApplicationState.RUNNING || r.getRpcPort() <= 0) {
      return Optional.empty();
    }
    return Optional.of("http://" + r.getHost() + ":" + r.getRpcPort());
  }

  static YarnApplicationInfo info(ApplicationReport r) {
    return new YarnApplicationInfo(
        r.getApplicationId().toString(),
        String.valueOf(r.getName()),
        r.getYarnApplicationState().name(),
        r.getFinalApplicationStatus().name(),
        restAddress(r),
        r.getDiagnostics() == null ? "" : r.getDiagnostics());
  }

  /** Whether YARN considers the application ended. */
  static boolean ended(ApplicationReport r) {
    YarnApplicationState s = r.getYarnApplicationState();
    return s == YarnApplicationState.FINISHED
        || s == YarnApplicationState.FAILED
        || s == YarnApplicationState.KILLED;
  }

  /**
   * The Flink job state an ended application stands for: Flink's application master reports a
   * finished job as SUCCEEDED, a failed one as FAILED and a cancelled one as KILLED.
   */
  static JobStatus endedJobStatus(ApplicationReport r) {
    FinalApplicationStatus f = r.getFinalApplicationStatus();
    if (f == FinalApplicationStatus.SUCCEEDED) {
      return JobStatus.FINISHED;
    }
    if (f == FinalApplicationStatus.KILLED
        || r.getYarnApplicationState() == YarnApplicationState.KILLED) {
      return JobStatus.CANCELED;
    }
    return JobStatus.FAILED;
  }

  /** "YARN application_... RUNNING" (and the final status once it ended). */
  static String describe(ApplicationReport r) {
    String s = "YARN " + r.getApplicationId() + " " + r.getYarnApplicationState();
    return ended(r) ? s + "/" + r.getFinalApplicationStatus() : s;
  }

  /** Kills the application of a cluster unless it ended already. */
  void kill(String cluster) throws Exception {
    Optional<ApplicationReport> r = find(cluster);
    if (r.isPresent()) {
      kill(r.get());
    }
  }

  private void kill(ApplicationReport r) throws Exception {
    if (!ended(r)) {
      client().killApplication(r.getApplicationId());
      LOG.info("killed YARN application {}", r.getApplicationId());
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (client != null) {
      try {
        client.stop();
      } catch (RuntimeException e) {
        LOG.warn("stopping the YARN client failed", e);
      }
      client = null;
    }
  }
}
