package io.flinkplatform.engine.internal.alert;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.engine.alert.Alerts;
import io.flinkplatform.engine.internal.access.Access;
import io.flinkplatform.engine.internal.access.Caller;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.spi.Secrets;
import java.time.Clock;

/**
 * The workspace's channels, rules, silences and alert history, for one caller at a time ({@link
 * #of}): every call checks the caller's role with {@link Access} and writes its audit row in the
 * transaction of its change.
 */
public final class AlertBook {
  private final Store store;
  private final Access access;
  private final ChannelRegistry channels;
  private final Secrets secrets;
  private final Clock clock;
  private final Runnable rulesChanged;

  /**
   * @param rulesChanged called after a rule was saved or deleted on this instance
   */
  public AlertBook(
      Store store,
      Access access,
      ChannelRegistry channels,
      Secrets secrets,
      Clock clock,
      Runnable rulesChanged) {
    this.rulesChanged = requireNonNull(rulesChanged, "rulesChanged is null");
    this.store = requireNonNull(store, "store is null");
    this.access = requireNonNull(access, "access is null");
    this.channels = requireNonNull(channels, "channels is null");
    this.secrets = requireNonNull(secrets, "secrets is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /** The alerts of {@code caller}'s workspace, as {@code caller}. */
  public Alerts of(Caller caller) {
    requireNonNull(caller, "caller is null");
    return new WorkspaceAlerts(
        store, access, channels, new ChannelBook(channels, secrets), clock, caller, rulesChanged);
  }
}
