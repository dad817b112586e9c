package io.flinkplatform.engine.internal.metrics;

import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.spi.PluginMeters;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Measures nothing: the platform of a host that gave no registry. */
final class NoMeters implements Meters {
  @Override
  public boolean enabled() {
    return false;
  }

  @Override
  public void runStarted(String workflow) {}

  @Override
  public void runEnded(String workflow, RunState state) {}

  @Override
  public void attemptStarted(String taskType) {}

  @Override
  public void attemptEnded(String taskType, TaskState state, long durationMillis) {}

  @Override
  public void claimed(int attempts, long nanos) {}

  @Override
  public void committed(int outcomes, long nanos) {}

  @Override
  public void fired(long lagMillis) {}

  @Override
  public void leaseRenewed() {}

  @Override
  public void reaped(int attempts) {}

  @Override
  public void staleWriteRejected() {}

  @Override
  public void outageStarted(String loop) {}

  @Override
  public void outageEnded(String loop, long millis) {}

  @Override
  public void alertDelivered(String channelType, boolean ok) {}

  @Override
  public void readyAttempts(long high, long normal, long low) {}

  @Override
  public void health(BooleanSupplier up) {}

  @Override
  public void gauge(
      String name, String description, Map<String, String> tags, Supplier<Number> value) {}

  @Override
  public PluginMeters forPlugins() {
    return PluginMeters.NONE; // checks the arguments, registers nothing
  }

  @Override
  public String toString() {
    return "no meters";
  }
}
