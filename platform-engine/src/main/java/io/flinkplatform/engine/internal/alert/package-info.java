/**
 * Alerts: the channel types found through ServiceLoader ({@link
 * io.flinkplatform.engine.internal.alert.ChannelRegistry}), the workspace's channels, rules and
 * silences behind {@code PlatformClient.alerts()} ({@link
 * io.flinkplatform.engine.internal.alert.AlertBook}), the raising of alerts inside the transaction
 * of the change that raised them ({@link io.flinkplatform.engine.internal.alert.AlertRaiser}), and
 * their delivery from the outbox.
 *
 * <p>It may call {@code store}, {@code common}, {@code access} and {@code metrics}.
 */
package io.flinkplatform.engine.internal.alert;
