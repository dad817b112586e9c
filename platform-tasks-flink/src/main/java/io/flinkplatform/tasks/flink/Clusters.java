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
 * The Flink clusters the plugin talks to: one REST client per cluster address, kept for reuse (at
 * most {@link #MAX_CLIENTS}, least recently used closed first; the client of a YARN application's
 * cluster is closed when its job ended); the local MiniCluster, started on first use; the YARN
 * side, created when a YARN target is first used (so hosts without {@code flink-yarn} can run the
 * other targets); and a short-lived cache of each cluster's job list so that the polls of many
 * tasks on one cluster cost one request per round.
 */
final class Clusters implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Clusters.class);
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final long OVERVIEW_MAX_AGE_MS = 300;

  /** REST clients kept at most; each holds a netty event loop and a retry executor. */
  static final int MAX_CLIENTS = 32;

  /** A class of {@code flink-yarn} that the YARN targets need. */
  static final String YARN_PROBE = "org.apache.flink.yarn.YarnClusterDescriptor";

  private final Configuration environment;
  private final FlinkSettings settings;
  private YarnClusters yarn;
  private boolean closed;

  /** REST clients by address, in access order (guarded by itself). */
  private final java.util.LinkedHashMap<String, RestClusterClient<StandaloneClusterId>> clients =
      new java.util.LinkedHashMap<>(16, 0.75f, true);

  /** The REST address a YARN cluster ({@code yarn://<tag>}) was last reached at. */
  private final Map<String, String> yarnAddresses = new ConcurrentHashMap<>();

  private final Map<String, Overview> overviews = new ConcurrentHashMap<>();
  private MiniCluster local;
  private String localAddress;

  private record Overview(long fetchedAt, Map<JobID, JobStatusMessage> jobs) {}

  Clusters(Configuration environment, FlinkSettings settings) {
    this.environment = environment;
    this.settings = settings;
  }

  /**
   * The YARN side, created on first use. Fails naming {@code flink-yarn} when the host did not add
   * it: only YARN targets need it.
   */
  synchronized YarnClusters yarn() {
    if (closed) {
      throw new IllegalStateException("the flink plugin is stopped: no YARN client");
    }
    if (yarn == null) {
      try {
        Class.forName(YARN_PROBE, false, Clusters.class.getClassLoader());
      } catch (ClassNotFoundException | LinkageError e) {
        throw new FlinkTaskException(
            "the YARN targets need flink-yarn on the class path"
                + " (org.apache.flink:flink-yarn 1.20.x, excluding org.apache.hadoop:*): "
                + YARN_PROBE
                + " is missing");
      }
      yarn = new YarnClusters(settings);
    }
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

  /** Whether this JVM's local MiniCluster is running. */
  synchronized boolean localStarted() {
    return local != null;
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
    if (!YarnTags.isYarn(cluster)) {
      return cluster;
    }
    ApplicationReport r =
        yarn()
            .find(cluster)
            .orElseThrow(() -> new FlinkTaskException("no YARN application is tagged " + cluster));
    String address =
        YarnClusters.restAddress(r)
            .orElseThrow(
                () ->
                    new FlinkTaskException(
                        "the Flink cluster of " + YarnClusters.describe(r) + " is not reachable"));
    remember(cluster, address);
    return address;
  }

  /** Notes the REST address of a YARN cluster, so its client is closed when its job ends. */
  void remember(String cluster, String address) {
    String before = yarnAddresses.put(cluster, address);
    if (before != null && !before.equals(address)) {
      closeClient(before);
    }
  }

  private RestClusterClient<StandaloneClusterId> rest(String address) {
    List<RestClusterClient<StandaloneClusterId>> evicted = new java.util.ArrayList<>();
    RestClusterClient<StandaloneClusterId> client;
    synchronized (clients) {
      client = clients.get(address);
      if (client == null) {
        client = newClient(address);
        clients.put(address, client);
        var it = clients.entrySet().iterator();
        while (clients.size() > MAX_CLIENTS && it.hasNext()) {
          var eldest = it.next();
          evicted.add(eldest.getValue());
          overviews.remove(eldest.getKey());
          it.remove();
        }
      }
    }
    evicted.forEach(RestClusterClient::close);
    return client;
  }

  private RestClusterClient<StandaloneClusterId> newClient(String address) {
    URI uri = URI.create(address);
    Configuration c = new Configuration(environment);
    c.set(RestOptions.ADDRESS, uri.getHost());
    c.set(RestOptions.PORT, uri.getPort());
    c.set(RestOptions.RETRY_MAX_ATTEMPTS, 2);
    c.set(RestOptions.RETRY_DELAY, Duration.ofMillis(200));
    try {
      return new RestClusterClient<>(c, StandaloneClusterId.getInstance());
    } catch (Exception e) {
      throw new IllegalStateException("cannot create a REST client for " + address, e);
    }
  }

  private void closeClient(String address) {
    RestClusterClient<StandaloneClusterId> client;
    synchronized (clients) {
      client = clients.remove(address);
    }
    overviews.remove(address);
    if (client != null) {
      client.close();
    }
  }

  /** How many REST clients are open. */
  int openClients() {
    synchronized (clients) {
      return clients.size();
    }
  }

  /**
   * A job on {@code cluster} ended: a YARN application's cluster is gone with its job, so its REST
   * client is closed and its tag forgotten. Session and local clusters keep their client.
   */
  void ended(String cluster) {
    if (!YarnTags.isYarn(cluster)) {
      return;
    }
    String address = yarnAddresses.remove(cluster);
    if (address != null) {
      closeClient(address);
    }
    YarnClusters y;
    synchronized (this) {
      y = yarn;
    }
    if (y != null) {
      y.forget(cluster);
    }
  }

  /**
   * The job's state and progress. On YARN, the application's state first: an ended application
   * stands for the job's end, a running one is asked over REST.
   */
  JobView view(String cluster, JobID jobId) throws Exception {
    if (!YarnTags.isYarn(cluster)) {
      return restView(cluster, jobId);
    }
    Optional<ApplicationReport> found = yarn().find(cluster);
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
      remember(cluster, address.get());
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

  /**
   * The failure of a job on a YARN cluster as its archive holds it ({@link JobArchives}): read once
   * the application shut its cluster down. Empty for other clusters, when there is no archive, or
   * when it cannot be read (logged).
   */
  Optional<String> archivedFailure(String cluster, JobID jobId) {
    if (!YarnTags.isYarn(cluster)) {
      return Optional.empty();
    }
    try {
      return yarn().archives().failure(jobId);
    } catch (Exception e) {
      LOG.warn("the archive of Flink job {} could not be read", jobId, e);
      return Optional.empty();
    }
  }

  /**
   * Whether the Flink cluster of {@code cluster} is done with the job's archive: the current
   * attempt of a YARN application has ended (its master process exited; an application unregisters
   * from YARN before its cluster finished archiving). True for other clusters and for an
   * application YARN no longer knows; false while YARN cannot tell (asked again at the next poll).
   */
  boolean archiveSettled(String cluster) {
    if (!YarnTags.isYarn(cluster)) {
      return true;
    }
    try {
      return yarn().masterExited(cluster);
    } catch (Exception e) {
      LOG.debug("YARN did not tell whether the master of {} exited", cluster, e);
      return false;
    }
  }

  /** Deletes the archive of a YARN job whose end is recorded ({@link JobArchives#drop}). */
  void dropArchive(String cluster, JobID jobId) {
    if (!YarnTags.isYarn(cluster)) {
      return;
    }
    try {
      yarn().archives().drop(jobId);
    } catch (Exception e) {
      LOG.warn("the archive of Flink job {} was not deleted", jobId, e);
    }
  }

  /** What YARN says about an application that ended, if the cluster is a YARN one. */
  Optional<String> diagnostics(String cluster) {
    if (!YarnTags.isYarn(cluster)) {
      return Optional.empty();
    }
    try {
      return yarn()
          .find(cluster)
          .map(
              r ->
                  YarnClusters.describe(r)
                      + ": "
                      + (r.getDiagnostics() == null || r.getDiagnostics().isBlank()
                          ? "YARN has no diagnostics, the application's Flink cluster had shut"
                              + " down before the job's cause could be read, and it left no"
                              + " archive of the job with a cause"
                          : SqlSyntax.firstLine(r.getDiagnostics())));
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  /**
   * The job's state and name (from the cluster's job list, fetched once per round) and its
   * progress.
   */
  private JobView restView(String address, JobID jobId) throws Exception {
    Optional<JobStatusMessage> listed = Optional.ofNullable(overview(address, false).get(jobId));
    if (listed.isEmpty()) {
      listed = Optional.ofNullable(overview(address, true).get(jobId));
    }
    if (listed.isEmpty()) {
      return JobView.unknown();
    }
    Optional<JobStatus> status = listed.map(JobStatusMessage::getJobState);
    String name = listed.get().getJobName();
    if (status.get().isGloballyTerminalState()) {
      return new JobView(status, -1, Optional.empty(), -1).withName(name);
    }
    RestClusterClient<StandaloneClusterId> client = rest(address);
    long restarts = restarts(client, jobId);
    Optional<CheckpointingStatistics> stats = checkpointStatistics(client, jobId);
    Optional<CheckpointStatistics.CompletedCheckpointStatistics> cp =
        stats.map(st -> st.getLatestCheckpoints().getCompletedCheckpointStatistics());
    long[] streak = stats.map(Clusters::failedInARow).orElse(new long[] {0, -1});
    return new JobView(
            status,
            restarts,
            cp.map(CheckpointStatistics.CompletedCheckpointStatistics::getExternalPath),
            cp.map(CheckpointStatistics::getId).orElse(-1L))
        .withName(name)
        .withFailedCheckpoints((int) streak[0], streak[1]);
  }

  /**
   * The failed checkpoints in a row in {@code stats}' history (see {@link #failedInARow(List,
   * long)}).
   */
  static long[] failedInARow(CheckpointingStatistics stats) {
    CheckpointStatistics.CompletedCheckpointStatistics last =
        stats.getLatestCheckpoints().getCompletedCheckpointStatistics();
    return failedInARow(
        stats.getHistory().stream()
            .map(c -> new HistoryEntry(c.getId(), c.getStatus(), c.isSavepoint()))
            .toList(),
        last == null ? -1 : last.getId());
  }

  /** One checkpoint of a job's history as the cluster reports it. */
  record HistoryEntry(
      long id,
      org.apache.flink.runtime.checkpoint.CheckpointStatsStatus status,
      boolean savepoint) {}

  /**
   * The checkpoints (not savepoints) that failed in a row, newest first, and the id of the
   * completed one before them; when the history holds no completed one, {@code lastCompleted} (and
   * the count is at most the history's length).
   */
  static long[] failedInARow(List<HistoryEntry> history, long lastCompleted) {
    List<HistoryEntry> newestFirst = new java.util.ArrayList<>(history);
    newestFirst.sort(java.util.Comparator.comparingLong(HistoryEntry::id).reversed());
    long failed = 0;
    for (HistoryEntry c : newestFirst) {
      if (c.savepoint() || c.status().isInProgress()) {
        continue;
      }
      if (c.status().isCompleted()) {
        return new long[] {failed, c.id()};
      }
      failed++;
    }
    return new long[] {failed, lastCompleted};
  }

  private Map<JobID, JobStatusMessage> overview(String address, boolean fresh) throws Exception {
    long now = System.currentTimeMillis();
    Overview o = overviews.get(address);
    if (fresh || o == null || now - o.fetchedAt() > OVERVIEW_MAX_AGE_MS) {
      Collection<JobStatusMessage> jobs =
          rest(address).listJobs().get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      Map<JobID, JobStatusMessage> m = new java.util.HashMap<>();
      jobs.forEach(j -> m.put(j.getJobId(), j));
      o = new Overview(now, Map.copyOf(m));
      overviews.put(address, o);
    }
    return o.jobs();
  }

  /** Forgets the cached job list of a cluster (after a submission or a cancel). */
  void invalidate(String cluster) {
    if (YarnTags.isYarn(cluster)) {
      Optional.ofNullable(yarnAddresses.get(cluster)).ifPresent(overviews::remove);
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

  private static Optional<CheckpointingStatistics> checkpointStatistics(
      RestClusterClient<StandaloneClusterId> client, JobID jobId) {
    try {
      JobMessageParameters p = new JobMessageParameters();
      p.jobPathParameter.resolve(jobId);
      return Optional.of(
          client
              .sendRequest(
                  CheckpointingStatisticsHeaders.getInstance(),
                  p,
                  org.apache.flink.runtime.rest.messages.EmptyRequestBody.getInstance())
              .get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
    } catch (Exception e) {
      LOG.debug("no checkpoint statistics for job {}", jobId, e);
      return Optional.empty();
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    List<RestClusterClient<StandaloneClusterId>> open;
    synchronized (clients) {
      open = List.copyOf(clients.values());
      clients.clear();
    }
    open.forEach(RestClusterClient::close);
    yarnAddresses.clear();
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
    if (yarn != null) {
      yarn.close();
    }
  }
}
