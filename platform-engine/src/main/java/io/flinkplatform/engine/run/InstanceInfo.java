package io.flinkplatform.engine.run;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One instance of the platform (any JVM on the same database), live or recently gone. From {@code
 * PlatformClient.instances()}; the same for every workspace, since instances serve them all.
 *
 * @param name the instance's unique name ({@code <instanceName>#<random>}), as attempts' owners
 * @param instanceName the name its host gave it ({@code Platform.Builder.instanceName})
 * @param host its host name
 * @param pid its process id
 * @param version the platform version it runs
 * @param state live, lost or stopped
 * @param startedAt when it registered
 * @param lastHeartbeat its last heartbeat, by its own clock
 * @param heartbeatAge how long ago that was, by the reading instance's clock (instances' clocks may
 *     differ by their skew; never negative)
 * @param labels its worker labels, sorted
 * @param taskTypes the task types it runs, sorted; empty for an instance without worker threads
 * @param runningAttempts the attempts it holds RUNNING now (of every workspace: a count only)
 */
public record InstanceInfo(
    String name,
    String instanceName,
    String host,
    long pid,
    String version,
    State state,
    Instant startedAt,
    Instant lastHeartbeat,
    Duration heartbeatAge,
    List<String> labels,
    List<String> taskTypes,
    int runningAttempts) {
  /** How long a stopped or lost instance is still listed after its lease ended. */
  public static final Duration RECENT = Duration.ofHours(24);

  public InstanceInfo {
    requireNonNull(name, "name is null");
    requireNonNull(instanceName, "instanceName is null");
    requireNonNull(host, "host is null");
    requireNonNull(version, "version is null");
    requireNonNull(state, "state is null");
    requireNonNull(startedAt, "startedAt is null");
    requireNonNull(lastHeartbeat, "lastHeartbeat is null");
    requireNonNull(heartbeatAge, "heartbeatAge is null");
    labels = List.copyOf(labels);
    taskTypes = List.copyOf(taskTypes);
  }

  /** An instance's state, by the database's clock (the one leases are kept on). */
  public enum State {
    /** Registered and its lease holds: it heartbeats. */
    LIVE,
    /** Its lease lapsed without a stop: it died, froze or lost the database; reapers take over. */
    LOST,
    /** It stopped and said so. */
    STOPPED
  }
}
