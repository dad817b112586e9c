/**
 * Alerts: rules per workspace that turn what happens (a run failing, a task retried, a run past its
 * deadline, an instance lost...) into messages on channels (webhook, mail, chat robots), delivered
 * through an outbox in the database with at-least-once delivery and an idempotency key; silences;
 * the history of every alert and delivery attempt. Reached through {@code PlatformClient.alerts()};
 * see docs/alerts.md.
 */
package io.flinkplatform.engine.alert;
