/**
 * The built-in alert channel types, found through ServiceLoader like a host's own: {@link
 * io.flinkplatform.engine.internal.channel.WebhookChannel webhook}, {@link
 * io.flinkplatform.engine.internal.channel.FeishuChannel feishu}, {@link
 * io.flinkplatform.engine.internal.channel.DingTalkChannel dingtalk}, {@link
 * io.flinkplatform.engine.internal.channel.WeComChannel wecom}, {@link
 * io.flinkplatform.engine.internal.channel.SlackChannel slack} (HTTP through {@link
 * io.flinkplatform.engine.internal.channel.HttpPost}) and {@link
 * io.flinkplatform.engine.internal.channel.EmailChannel email} (SMTP through Angus Mail). Each
 * sends one {@link io.flinkplatform.spi.AlertMessage} and says whether a failure is worth a retry;
 * none keeps state between sends or ever puts a secret or a full webhook URL into a message.
 *
 * <p>It may call no other internal package: only {@code platform-spi}, the JDK, Jackson and the
 * mail library.
 */
package io.flinkplatform.engine.internal.channel;
