package io.flinkplatform.tasks.flink;

import java.time.Duration;
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
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.yarn.YarnClientYarnClusterInformationRetriever;
import org.apache.flink.yarn.YarnClusterClientFactory;
import org.apache.flink.yarn.YarnClusterDescriptor;
import org.apache.flink.yarn.configuration.YarnConfigOptions;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
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
  static final String SCHEME = "yarn://";
  static final String TAG_PREFIX = "flink-platform-";
  static final String APPLICATION_TYPE = "Apache Flink";

  private final FlinkSettings settings;
  private final Map<String, ApplicationId> byTag = new ConcurrentHashMap<>();
  private YarnClient client;

  YarnClusters(FlinkSettings settings) {
    this.settings = settings;
  }

  static boolean isYarn(String cluster) {
    return cluster.startsWith(SCHEME);
  }

  /** The tag (and so the identity) of a job's YARN application. */
  static String tag(JobID jobId) {
    return TAG_PREFIX + jobId.toHexString();
  }

  static String cluster(JobID jobId) {
    return SCHEME + tag(jobId);
  }

  private static String tagOf(String cluster) {
    return cluster.substring(SCHEME.length());
  }

  private synchronized YarnClient client() {
    if (client == null) {
      YarnClient c = YarnClient.createYarnClient();
      c.init(new YarnConfiguration(settings.hadoop()));
      c.start();
      client = c;
    }
    return client;
  }

  /** The application of a {@code yarn://<tag>} cluster, newest first if there are several. */
  Optional<ApplicationReport> find(String cluster) throws Exception {
    String tag = tagOf(cluster);
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
   * the application master, or, after {@code flink.yarn.deploy-timeout}, once YARN knows the
   * application (it may wait for resources; polls report it as starting). Flink's deployment goes
   * on in the background until the master runs or the application failed.
   */
  ApplicationId deploy(
      Configuration conf,
      JobID jobId,
      String name,
      Optional<ApplicationConfiguration> program,
      Optional<JobGraph> graph)
      throws Exception {
    FutureTask<ApplicationId> task =
        new FutureTask<>(() -> deployNow(conf, jobId, name, program, graph));
    Thread t = new Thread(task, "flink-yarn-deploy-" + jobId);
    t.setDaemon(true);
    t.start();
    Duration timeout = settings.yarnDeployTimeout();
    try {
      return task.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      Optional<ApplicationReport> r = find(cluster(jobId));
      if (r.isPresent()) {
        LOG.info(
            "{} for Flink job {} is not running after {}; polling it",
            describe(r.get()),
            jobId,
            timeout);
        return r.get().getApplicationId();
      }
      throw new FlinkTaskException(
          "YARN did not accept the application of Flink job " + jobId + " within " + timeout);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception ex ? ex : e;
    }
  }

  private ApplicationId deployNow(
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
    c.set(YarnConfigOptions.APPLICATION_TAGS, tag(jobId));
    settings
        .get(FlinkSettings.FLINK_DIST_JAR)
        .ifPresent(jar -> c.set(YarnConfigOptions.FLINK_DIST_JAR, jar));
    YarnClient yarn = client();
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
        byTag.put(tag(jobId), id);
        LOG.info("deployed YARN application {} ({}) for Flink job {}", id, name, jobId);
        return id;
      }
    }
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
    if (r.isPresent() && !ended(r.get())) {
      client().killApplication(r.get().getApplicationId());
      LOG.info("killed YARN application {}", r.get().getApplicationId());
    }
  }

  @Override
  public synchronized void close() {
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
