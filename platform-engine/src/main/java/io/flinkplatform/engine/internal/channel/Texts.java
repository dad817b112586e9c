package io.flinkplatform.engine.internal.channel;

import io.flinkplatform.spi.AlertDeliveryException;
import io.flinkplatform.spi.AlertMessage;
import io.flinkplatform.spi.InvalidInputException;
import io.flinkplatform.spi.TaskOption;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The small pieces every channel shares: options, URLs, HMAC, and keeping secrets out of text. */
final class Texts {
  static final String MASK = "****";

  private Texts() {}

  /** The option's value as a trimmed string, or {@code null} when it is absent or blank. */
  static String string(Map<String, Object> options, String name) {
    Object v = options.get(name);
    if (v == null) {
      return null;
    }
    String s = v.toString().trim();
    return s.isEmpty() ? null : s;
  }

  /**
   * The option as an http or https URL with a host.
   *
   * @throws InvalidInputException naming the option, without echoing its value (it may hold a
   *     token)
   */
  static URI httpUrl(Map<String, Object> options, String name) {
    String s = string(options, name);
    if (s == null) {
      throw new InvalidInputException(name, name + " is required: an http or https URL");
    }
    URI uri;
    try {
      uri = new URI(s);
    } catch (URISyntaxException e) {
      throw new InvalidInputException(
          name, name + " is not a valid URL; it must be an http or https URL with a host");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new InvalidInputException(
          name, name + " must be an http or https URL; other schemes are not allowed");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new InvalidInputException(name, name + " must be an http or https URL with a host");
    }
    if (uri.getRawUserInfo() != null) {
      throw new InvalidInputException(
          name, name + " must not hold a user or password before the host");
    }
    return uri;
  }

  /** {@link #httpUrl} at send time: a stored URL that no longer parses is a permanent failure. */
  static URI sendUrl(Map<String, Object> options, String name) throws AlertDeliveryException {
    try {
      return httpUrl(options, name);
    } catch (InvalidInputException e) {
      throw new AlertDeliveryException(e.getMessage(), false);
    }
  }

  /** The values of the secret options among {@code options}, to be blanked out of any text. */
  static List<String> secrets(List<TaskOption> specs, Map<String, Object> options) {
    List<String> out = new ArrayList<>();
    for (TaskOption o : specs) {
      if (o.secret() && options.get(o.name()) != null) {
        out.add(options.get(o.name()).toString());
      }
    }
    return out;
  }

  /**
   * {@code text} with every secret, and the URL's path and query, replaced by {@link #MASK}
   * (secrets shorter than four characters are left: they would blank ordinary words).
   */
  static String scrub(String text, Collection<String> secrets, URI uri) {
    if (text == null) {
      return "";
    }
    String out = text;
    List<String> hide = new ArrayList<>(secrets);
    if (uri != null) {
      hide.add(uri.toString());
      if (uri.getRawQuery() != null) {
        hide.add(uri.getRawQuery());
      }
      if (uri.getRawPath() != null && uri.getRawPath().length() > 1) {
        hide.add(uri.getRawPath());
      }
    }
    hide.sort((a, b) -> b.length() - a.length());
    for (String s : hide) {
      if (s != null && s.length() >= 4) {
        out = out.replace(s, MASK);
      }
    }
    return out;
  }

  /**
   * Whether the message has a link its text does not already show (the default templates end with
   * it), so that a channel adds it once.
   */
  static boolean linkMissing(AlertMessage m) {
    return m.link() != null && !m.text().contains(m.link());
  }

  /** {@code text} on one line, cut to {@code max} characters. */
  static String oneLine(String text, int max) {
    String s = text.replaceAll("\\s+", " ").trim();
    return s.length() <= max ? s : s.substring(0, max) + "…";
  }

  /** {@code text} cut so that its UTF-8 form has at most {@code maxBytes} bytes. */
  static String cutUtf8(String text, int maxBytes) {
    if (text.getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
      return text;
    }
    String ellipsis = "…";
    int budget = maxBytes - ellipsis.getBytes(StandardCharsets.UTF_8).length;
    StringBuilder out = new StringBuilder();
    int used = 0;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
      if (used + n > budget) {
        break;
      }
      out.appendCodePoint(cp);
      used += n;
      i += Character.charCount(cp);
    }
    return out.append(ellipsis).toString();
  }

  /** HMAC-SHA256 of {@code message} under {@code key}. */
  static byte[] hmacSha256(byte[] key, byte[] message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
