package io.flinkplatform.tasks.flink;

import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.deployment.StandaloneClusterId;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.client.JobStatusMessage;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.rest.messages.JobMessageParameters;
import org.apache.flink.runtime.rest.messages.checkpoints.CheckpointStatistics;
import org.apache.flink.runtime.rest.messages.checkpoints.CheckpointingStatistics;
import org.apache.flink.runtime.rest.messages.checkpoints.CheckpointingStatisticsHeaders;
import org.apache.flink.runtime.rest.messages.job.metrics.JobMetricsHeaders;
import org.apache.flink.runtime.rest.messages.job.metrics.JobMetricsMessageParameters;
import org.apache.flink.runtime.rest.messages.job.metrics.Metric;
import org.apache.flink.runtime.rest.messages.job.metrics.MetricCollectionResponseBody;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Flink clusters the plugin talks to: one REST client per cluster address, kept for reuse; the
 * local MiniCluster, started on first use; and a short-lived cache of each cluster's job list so
 * that the polls of many tasks on one cluster cost one request per round.
 */
final class Clusters implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Clusters.class);
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final long OVERVIEW_MAX_AGE_MS = 300;

  private final Configuration environment;
  private final YarnClusters yarn;
  private final Map<String, RestClusterClient<StandaloneClusterId>> clients =
      new ConcurrentHashMap<>();
  private final Map<String, Overview> overviews = new ConcurrentHashMap<>();
  private MiniCluster local;
  private String localAddress;

  private record Overview(long fetchedAt, Map<JobID, JobStatus> jobs) {}

  Clusters(Configuration environment, YarnClusters yarn) {
    this.environment = environment;
    this.yarn = yarn;
  }

  YarnClusters yarn() {
    return yarn;
  }

  /** The REST address of the local MiniCluster, started now if it is not running. */
  synchronized String localAddress() throws Exception {
    if (local == null) {
      Configuration c = new Configuration(environment);
      c.set(RestOptions.BIND_PORT, "0");
      c.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
      c.set(RestOptions.ADDRESS, "127.0.0.1");
      int slots = c.get(org.apache.flink.configuration.TaskManagerOptions.NUM_TASK_SLOTS);
      MiniCluster mc =
          new MiniCluster(
              new MiniClusterConfiguration.Builder()
                  .setConfiguration(c)
                  .setNumTaskManagers(1)
                  .setNumSlotsPerTaskManager(slots)
                  .build());
      mc.start();
      local = mc;
      localAddress = mc.getRestAddress().get(30, TimeUnit.SECONDS).toString();
      LOG.info("started the local Flink MiniCluster at {} with {} slots", localAddress, slots);
    }
    return localAddress;
  }

  /** Whether {@code address} is this JVM's running local MiniCluster. */
  synchronized boolean isLocal(String address) {
    return local != null && address.equals(localAddress);
  }

  /** The REST address of a session cluster, from {@code rest.address} and {@code rest.port}. */
  static String sessionAddress(Configuration conf) {
    String host =
        conf.getOptional(RestOptions.ADDRESS)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "target 'session' needs the cluster's REST address: set rest.address"
                            + " (plugin setting flink.conf.rest.address or the task's"
                            + " flink_conf)"));
    return "http://" + host + ":" + conf.get(RestOptions.PORT);
  }

  /**
   * The REST client of a cluster: a REST address, or a YARN cluster ({@code yarn://<tag>}) whose
   * application master runs.
   */
  RestClusterClient<StandaloneClusterId> client(String cluster) throws Exception {
    return rest(restAddress(cluster));
  }

  private String restAddress(String cluster) throws Exception {
    if (!YarnClusters.isYarn(cluster)) {
      return cluster;
    }
    ApplicationReport r =
        yarn.find(cluster)
            .orElseThrow(() -> new FlinkTaskException("no YARN application is tagged " + cluster));
    return YarnClusters.restAddress(r)
        .orElseThrow(
            () ->
                new FlinkTaskException(
                    "the Flink cluster of " + YarnClusters.describe(r) + " is not reachable"));
  }

  private RestClusterClient<StandaloneClusterId> rest(String address) {
    return clients.computeIfAbsent(
        address,
        a -> {
          URI uri = URI.create(a);
          Configuration c = new Configuration(environment);
          c.set(RestOptions.ADDRESS, uri.getHost());
          c.set(RestOptions.PORT, uri.getPort());
          c.set(RestOptions.RETRY_MAX_ATTEMPTS, 2);
          c.set(RestOptions.RETRY_DELAY, Duration.ofMillis(200));
          try {
            return new RestClusterClient<>(c, StandaloneClusterId.getInstance());
          } catch (Exception e) {
            throw new IllegalStateException("cannot create a REST client for " + a, e);
          }
        });
  }

  /**
   * The job's state and progress. On YARN, the application's state first: an ended application
   * stands for the job's end, a running one is asked over REST.
   */
  JobView view(String cluster, JobID jobId) throws Exception {
    if (!YarnClusters.isYarn(cluster)) {
      return restView(cluster, jobId);
    }
    Optional<ApplicationReport> found = yarn.find(cluster);
    if (found.isEmpty()) {
      return JobView.unknown();
    }
    ApplicationReport r = found.get();
    String app = YarnClusters.describe(r);
    if (YarnClusters.ended(r)) {
      return new JobView(Optional.of(YarnClusters.endedJobStatus(r)), -1, Optional.empty(), -1)
          .withApplication(app);
    }
    Optional<String> address = YarnClusters.restAddress(r);
    if (address.isPresent()) {
      try {
        JobView v = restView(address.get(), jobId);
        if (v.status().isPresent()) {
          return v.withApplication(app);
        }
      } catch (Exception e) {
        LOG.debug("the Flink cluster of {} did not answer", app, e);
      }
    }
    // the application is starting, or its program has not submitted the job yet
    return new JobView(Optional.of(JobStatus.INITIALIZING), -1, Optional.empty(), -1)
        .withApplication(app);
  }

  /** What YARN says about an application that ended, if the cluster is a YARN one. */
  Optional<String> diagnostics(String cluster) {
    if (!YarnClusters.isYarn(cluster)) {
      return Optional.empty();
    }
    try {
      return yarn.find(cluster)
          .map(r -> YarnClusters.describe(r) + ": " + SqlSyntax.firstLine(r.getDiagnostics()));
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  /** The job's state (from the cluster's job list, fetched once per round) and its progress. */
  private JobView restView(String address, JobID jobId) throws Exception {
    Optional<JobStatus> status = Optional.ofNullable(overview(address, false).get(jobId));
    if (status.isEmpty()) {
      status = Optional.ofNullable(overview(address, true).get(jobId));
    }
    if (status.isEmpty()) {
      return JobView.unknown();
    }
    if (status.get().isGloballyTerminalState()) {
      return new JobView(status, -1, Optional.empty(), -1);
    }
    RestClusterClient<StandaloneClusterId> client = rest(address);
    long restarts = restarts(client, jobId);
    Optional<CheckpointStatistics.CompletedCheckpointStatistics> cp = lastCheckpoint(client, jobId);
    return new JobView(
        status,
        restarts,
        cp.map(CheckpointStatistics.CompletedCheckpointStatistics::getExternalPath),
        cp.map(CheckpointStatistics::getId).orElse(-1L));
  }

  private Map<JobID, JobStatus> overview(String address, boolean fresh) throws Exception {
    long now = System.currentTimeMillis();
    Overview o = overviews.get(address);
    if (fresh || o == null || now - o.fetchedAt() > OVERVIEW_MAX_AGE_MS) {
      Collection<JobStatusMessage> jobs =
          rest(address).listJobs().get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      Map<JobID, JobStatus> m = new java.util.HashMap<>();
      jobs.forEach(j -> m.put(j.getJobId(), j.getJobState()));
      o = new Overview(now, Map.copyOf(m));
      overviews.put(address, o);
    }
    return o.jobs();
  }

  /** Forgets the cached job list of a cluster (after a submission or a cancel). */
  void invalidate(String cluster) {
    if (YarnClusters.isYarn(cluster)) {
      overviews.clear();
    } else {
      overviews.remove(cluster);
    }
  }

  private static long restarts(RestClusterClient<StandaloneClusterId> client, JobID jobId) {
    try {
      JobMetricsMessageParameters p = new JobMetricsMessageParameters();
      p.jobPathParameter.resolve(jobId);
      p.metricsFilterParameter.resolve(List.of("numRestarts"));
      MetricCollectionResponseBody body =
          client
              .sendRequest(
                  JobMetricsHeaders.getInstance(),
                  p,
                  org.apache.flink.runtime.rest.messages.EmptyRequestBody.getInstance())
              .get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      for (Metric m : body.getMetrics()) {
        if ("numRestarts".equals(m.getId()) && m.getValue() != null) {
          return (long) Double.parseDouble(m.getValue());
        }
      }
    } catch (Exception e) {
      LOG.debug("no restart count for job {}", jobId, e);
    }
    return -1;
  }

  /** The path of the job's newest savepoint as the cluster reports it (also for ended jobs). */
  Optional<String> lastSavepoint(String address, JobID jobId) {
    try {
      JobMessageParameters p = new JobMessageParameters();
      p.jobPathParameter.resolve(jobId);
      CheckpointingStatistics stats =
          client(address)
              .sendRequest(
                  CheckpointingStatisticsHeaders.getInstance(),
                  p,
                  org.apache.flink.runtime.rest.messages.EmptyRequestBody.getInstance())
              .get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return Optional.ofNullable(stats.getLatestCheckpoints().getSavepointStatistics())
          .map(CheckpointStatistics.CompletedCheckpointStatistics::getExternalPath);
    } catch (Exception e) {
      LOG.debug("no savepoint statistics for job {}", jobId, e);
      return Optional.empty();
    }
  }

  private static Optional<CheckpointStatistics.CompletedCheckpointStatistics> lastCheckpoint(
      RestClusterClient<StandaloneClusterId> client, JobID jobId) {
    try {
      JobMessageParameters p = new JobMessageParameters();
      p.jobPathParameter.resolve(jobId);
      CheckpointingStatistics stats =
          client
              .sendRequest(
                  CheckpointingStatisticsHeaders.getInstance(),
                  p,
                  org.apache.flink.runtime.rest.messages.EmptyRequestBody.getInstance())
              .get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return Optional.ofNullable(stats.getLatestCheckpoints().getCompletedCheckpointStatistics());
    } catch (Exception e) {
      LOG.debug("no checkpoint statistics for job {}", jobId, e);
      return Optional.empty();
    }
  }

  @Override
  public synchronized void close() {
    clients.values().forEach(RestClusterClient::close);
    clients.clear();
    if (local != null) {
      try {
        local.close();
        LOG.info("stopped the local Flink MiniCluster at {}", localAddress);
      } catch (Exception e) {
        LOG.warn("stopping the local Flink MiniCluster failed", e);
      }
      local = null;
      localAddress = null;
    }
    yarn.close();
  }
}
