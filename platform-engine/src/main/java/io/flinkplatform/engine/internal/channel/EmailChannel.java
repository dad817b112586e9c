package io.flinkplatform.engine.internal.channel;

import io.flinkplatform.spi.AlertChannel;
import io.flinkplatform.spi.AlertDeliveryException;
import io.flinkplatform.spi.AlertMessage;
import io.flinkplatform.spi.InvalidInputException;
import io.flinkplatform.spi.OptionType;
import io.flinkplatform.spi.TaskOption;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.net.ssl.SSLException;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.util.MailConnectException;

/**
 * Mails the alert through an SMTP server with Angus Mail: subject the title, body the text and the
 * link, and a {@code Message-ID} made of the idempotency key ({@code <key@flink-platform>}) so that
 * a resent alert is one mail to clients that drop repeats. {@code tls} is {@code starttls}
 * (required, never silently plain; the default, port 587), {@code smtps} (TLS from the start, port
 * 465) or {@code none}; the server's certificate and name are checked by the JVM's trust store.
 * Connecting, each read and each write wait at most the send's timeout. A refused login or a
 * permanently refused address (5xx) is not retryable; an unreachable server or a 4xx is.
 */
public final class EmailChannel implements AlertChannel {
  static final String MESSAGE_ID_DOMAIN = "flink-platform";

  private static final List<TaskOption> OPTIONS =
      List.of(
          TaskOption.required("host", OptionType.STRING, "The SMTP server's host name."),
          TaskOption.optional("port", OptionType.INT, 587, "The SMTP server's port."),
          TaskOption.optional(
                  "tls",
                  OptionType.STRING,
                  "starttls",
                  "starttls (required upgrade), smtps (TLS from the start) or none.")
              .withAllowedValues("starttls", "smtps", "none"),
          TaskOption.optional("user", OptionType.STRING, null, "The SMTP login, if any."),
          TaskOption.optional("password", OptionType.STRING, null, "The SMTP password.").asSecret(),
          TaskOption.required("from", OptionType.STRING, "The sender address."),
          TaskOption.required("to", OptionType.STRING_LIST, "The recipient addresses."),
          TaskOption.optional(
              "subjectPrefix", OptionType.STRING, null, "Put before every subject, e.g. [prod]."));

  @Override
  public String type() {
    return "email";
  }

  @Override
  public String description() {
    return "Mails the alert through an SMTP server (STARTTLS, SMTPS or plain).";
  }

  @Override
  public List<TaskOption> options() {
    return OPTIONS;
  }

  @Override
  public void validate(Map<String, Object> options) {
    String host = Texts.string(options, "host");
    if (host == null || !host.matches("[A-Za-z0-9.:\\[\\]_-]+")) {
      throw new InvalidInputException("host", "host must be a host name or an IP address");
    }
    int port = options.get("port") instanceof Integer p ? p : 587;
    if (port < 1 || port > 65535) {
      throw new InvalidInputException("port", "port must be between 1 and 65535");
    }
    address("from", Texts.string(options, "from"));
    if (!(options.get("to") instanceof List<?> to) || to.isEmpty()) {
      throw new InvalidInputException("to", "to must list at least one address");
    }
    for (Object a : to) {
      address("to", a == null ? null : a.toString());
    }
    boolean user = Texts.string(options, "user") != null;
    boolean password = Texts.string(options, "password") != null;
    if (user != password) {
      throw new InvalidInputException(
          user ? "password" : "user", "user and password must be given together, or neither");
    }
  }

  private static InternetAddress address(String option, String value) {
    if (value == null) {
      throw new InvalidInputException(option, option + " needs an address like ops@example.com");
    }
    try {
      InternetAddress a = new InternetAddress(value.trim(), true);
      a.validate();
      if (a.getAddress().indexOf('@') < 1) {
        throw new AddressException("no domain");
      }
      return a;
    } catch (AddressException e) {
      throw new InvalidInputException(
          option, option + ": '" + value + "' is not a mail address; use e.g. ops@example.com");
    }
  }

  @Override
  public void send(AlertMessage message, Map<String, Object> options, Duration timeout)
      throws AlertDeliveryException {
    List<String> secrets = Texts.secrets(OPTIONS, options);
    String host = Texts.string(options, "host");
    int port = options.get("port") instanceof Integer p ? p : 587;
    String tls = Texts.string(options, "tls") == null ? "starttls" : Texts.string(options, "tls");
    String user = Texts.string(options, "user");
    String password = options.get("password") == null ? null : options.get("password").toString();
    String where = host + ":" + port;
    String protocol = tls.equals("smtps") ? "smtps" : "smtp";
    Session session = Session.getInstance(properties(protocol, tls, user != null, timeout));
    MimeMessage mail;
    try {
      mail = message(session, message, options);
    } catch (MessagingException | InvalidInputException e) {
      throw new AlertDeliveryException(
          "cannot build the mail for " + where + ": " + Texts.scrub(e.getMessage(), secrets, null),
          false);
    }
    try (Transport transport = session.getTransport(protocol)) {
      transport.connect(host, port, user, password);
      transport.sendMessage(mail, mail.getAllRecipients());
    } catch (MessagingException e) {
      throw failure(e, where, user, secrets);
    }
  }

  private static Properties properties(
      String protocol, String tls, boolean auth, Duration timeout) {
    String p = "mail." + protocol + ".";
    String millis = Long.toString(Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
    Properties props = new Properties();
    props.put(p + "connectiontimeout", millis);
    props.put(p + "timeout", millis);
    props.put(p + "writetimeout", millis);
    props.put(p + "auth", Boolean.toString(auth));
    if (tls.equals("starttls")) {
      props.put(p + "starttls.enable", "true");
      props.put(p + "starttls.required", "true");
    }
    if (!tls.equals("none")) {
      props.put(p + "ssl.checkserveridentity", "true");
    }
    return props;
  }

  private static MimeMessage message(Session session, AlertMessage m, Map<String, Object> options)
      throws MessagingException {
    String messageId = "<" + localPart(m.idempotencyKey()) + "@" + MESSAGE_ID_DOMAIN + ">";
    MimeMessage mail =
        new MimeMessage(session) {
          @Override
          protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
          }
        };
    mail.setFrom(address("from", Texts.string(options, "from")));
    List<InternetAddress> to = new ArrayList<>();
    for (Object a : (List<?>) options.get("to")) {
      to.add(address("to", a.toString()));
    }
    mail.setRecipients(Message.RecipientType.TO, to.toArray(new InternetAddress[0]));
    String prefix = Texts.string(options, "subjectPrefix");
    mail.setSubject((prefix == null ? "" : prefix + " ") + m.title(), "UTF-8");
    mail.setText(m.text() + (Texts.linkMissing(m) ? "\n\n" + m.link() : "") + "\n", "UTF-8");
    mail.setSentDate(Date.from(m.at()));
    mail.setHeader("X-FlinkPlatform-Idempotency-Key", m.idempotencyKey());
    mail.saveChanges();
    return mail;
  }

  /** The key as the left part of a Message-ID (a dot-atom: no spaces, brackets or @). */
  static String localPart(String key) {
    String s = key.replaceAll("[^A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]", "-");
    return s.replaceAll("\\.{2,}", ".").replaceAll("^\\.|\\.$", "-");
  }

  private static AlertDeliveryException failure(
      MessagingException e, String where, String user, List<String> secrets) {
    String why = Texts.oneLine(Texts.scrub(e.getMessage(), secrets, null), 300);
    if (e instanceof AuthenticationFailedException) {
      return new AlertDeliveryException(
          "SMTP login as '" + user + "' refused by " + where + ": " + why, false);
    }
    for (Throwable t = e; t != null; t = next(t)) {
      int code = -1;
      if (t instanceof SMTPSendFailedException f) {
        code = f.getReturnCode();
      } else if (t instanceof SMTPAddressFailedException f) {
        code = f.getReturnCode();
      }
      if (code >= 400) {
        return new AlertDeliveryException(
            "SMTP " + code + " from " + where + ": " + why, code < 500);
      }
      if (t instanceof SSLException) {
        return new AlertDeliveryException(
            "TLS with " + where + " failed (certificate or protocol): " + why, false);
      }
    }
    if (why.contains("STARTTLS")) {
      return new AlertDeliveryException(
          "STARTTLS is required but " + where + " does not offer it: " + why, false);
    }
    boolean unreachable = e instanceof MailConnectException || next(e) instanceof IOException;
    return new AlertDeliveryException(
        (unreachable ? "could not reach SMTP server " : "sending through ") + where + ": " + why,
        true);
  }

  private static Throwable next(Throwable t) {
    if (t instanceof MessagingException m && m.getNextException() != null) {
      return m.getNextException();
    }
    return t.getCause() == t ? null : t.getCause();
  }
}
