package io.flinkplatform.engine.alert;

import java.util.List;
import java.util.Optional;

/**
 * The alerts of the client's workspace ({@code PlatformClient.alerts()}): channels, rules,
 * silences, the history, and a test send. Reading needs VIEWER; channels and rules need EDITOR;
 * silences need OPERATOR; every change writes an audit row in its transaction. Bad input answers
 * with an {@code InvalidRequestException} naming the field and nothing is written.
 */
public interface Alerts {

  /** Every channel type this platform knows (built in and the host's), with its options. */
  List<ChannelType> channelTypes();

  /**
   * Creates or replaces a channel; secret options are sealed with the key ring (a secret left out
   * keeps the stored one).
   */
  ChannelInfo putChannel(ChannelSpec spec);

  List<ChannelInfo> channels();

  /**
   * Deletes a channel.
   *
   * @throws io.flinkplatform.engine.ConflictException if a rule still sends to it (naming them)
   * @throws io.flinkplatform.engine.NotFoundException if there is none of that name
   */
  void deleteChannel(String name);

  /**
   * Sends a test alert of kind {@link AlertKind#TEST} through the channel now, through the outbox
   * like every alert, and returns it; its history shows whether it arrived.
   */
  AlertRecord test(String channel);

  /** Creates or replaces a rule. */
  AlertRule putRule(AlertRule rule);

  List<AlertRule> rules();

  Optional<AlertRule> rule(String name);

  /**
   * @throws io.flinkplatform.engine.NotFoundException if there is none of that name
   */
  void deleteRule(String name);

  Silence silence(SilenceSpec spec);

  /** The silences not yet ended, and those ended in the last 7 days. */
  List<Silence> silences();

  /** Ends a silence now. */
  void endSilence(long id);

  AlertPage history(AlertQuery query);

  Optional<AlertRecord> alert(long id);
}
