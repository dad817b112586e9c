package io.flinkplatform.tasks.flink;

import java.net.ServerSocket;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;

/** A Flink session cluster for tests: a MiniCluster whose REST endpoint has a fixed port. */
final class SessionCluster implements AutoCloseable {
  final int port;
  final MiniCluster cluster;

  SessionCluster(int slots) throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Configuration c = new Configuration();
    c.set(RestOptions.ADDRESS, "127.0.0.1");
    c.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    c.set(RestOptions.PORT, port);
    c.set(RestOptions.BIND_PORT, Integer.toString(port));
    c.set(TaskManagerOptions.NUM_TASK_SLOTS, slots);
    cluster =
        new MiniCluster(
            new MiniClusterConfiguration.Builder()
                .setConfiguration(c)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(slots)
                .build());
    cluster.start();
  }

  String address() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public void close() throws Exception {
    cluster.close();
  }
}
