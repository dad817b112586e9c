package io.flinkplatform.engine;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import io.flinkplatform.spi.Secrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keys that seal values kept at rest ({@link Secrets}): one active key that seals, and older
 * keys that only open what they sealed, each with an id that is written into every sealed value.
 * The host gives it with {@code Platform.builder().keyRing(() -> KeyRing.fromFile(path))}; the
 * platform checks at start that each key matches the fingerprint recorded under its id in {@code
 * t_key_check}. {@link #toString()} shows the key ids only.
 *
 * <p>A sealed value is {@code v2:<id>:} and the Base64 form of a random 12-byte nonce, the AES-GCM
 * ciphertext and its 16-byte tag; the id and the caller's context are authenticated with it.
 */
public final class KeyRing implements Secrets {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]{1,32}");
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String activeId;
  private final Map<String, SecretKeySpec> keys;

  private KeyRing(String activeId, Map<String, SecretKeySpec> keys) {
    this.activeId = activeId;
    this.keys = Map.copyOf(keys);
  }

  /** A ring of one key, given as Base64 of 16, 24 or 32 bytes, under {@code id}. */
  public static KeyRing of(String id, String base64Key) {
    return builder().active(id, base64Key).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads a ring from text: one key per line as {@code id=Base64}, the first line the active key;
   * blank lines and lines starting with {@code #} are skipped.
   *
   * @throws IllegalArgumentException naming the line, never showing a key
   */
  public static KeyRing parse(String text) {
    requireNonNull(text, "text is null");
    Builder b = builder();
    int number = 0;
    for (String line : text.split("\\R")) {
      number++;
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      int eq = trimmed.indexOf('=');
      checkArgument(eq > 0, "key ring line %s must be id=Base64-of-the-key", number);
      String id = trimmed.substring(0, eq).strip();
      String key = trimmed.substring(eq + 1).strip();
      if (b.activeId == null) {
        b.active(id, key);
      } else {
        b.retired(id, key);
      }
    }
    return b.build();
  }

  /** Reads a ring from a file the host keeps readable by its own user only; see {@link #parse}. */
  public static KeyRing fromFile(Path file) {
    requireNonNull(file, "file is null");
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the key ring file " + file, e);
    }
  }

  /** The id of the key that seals. */
  public String activeId() {
    return activeId;
  }

  /** The ids of all keys, the active one first. */
  public List<String> ids() {
    List<String> ids = new ArrayList<>();
    ids.add(activeId);
    keys.keySet().stream().filter(id -> !id.equals(activeId)).sorted().forEach(ids::add);
    return ids;
  }

  /**
   * A check value of the key {@code id} (hex of an HMAC-SHA256 of a fixed text): it tells keys
   * apart without revealing them.
   */
  public String fingerprint(String id) {
    SecretKeySpec key = keys.get(id);
    checkArgument(key != null, "no key '%s' in the ring %s", id, ids());
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
      byte[] check = mac.doFinal("flink-platform key check".getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(check, 0, 16);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }

  @Override
  public boolean available() {
    return true;
  }

  @Override
  public String seal(String plain, String context) {
    requireNonNull(plain, "plain is null");
    requireNonNull(context, "context is null");
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, keys.get(activeId), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(aad(activeId, context));
      byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
      return SEALED_PREFIX
          + activeId
          + ":"
          + Base64.getEncoder()
              .encodeToString(
                  ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this JVM", e);
    }
  }

  @Override
  public String open(String sealed, String context) {
    requireNonNull(sealed, "sealed is null");
    requireNonNull(context, "context is null");
    String id = keyId(sealed);
    SecretKeySpec key = keys.get(id);
    if (key == null) {
      throw new SecretsException(
          "a value sealed under key '" + id + "' cannot be opened: the key ring holds " + ids());
    }
    try {
      byte[] all =
          Base64.getDecoder().decode(sealed.substring(SEALED_PREFIX.length() + id.length() + 1));
      if (all.length < NONCE_BYTES + TAG_BITS / 8) {
        throw new AEADBadTagException("too short");
      }
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, NONCE_BYTES));
      cipher.updateAAD(aad(id, context));
      return new String(
          cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES), StandardCharsets.UTF_8);
    } catch (AEADBadTagException | IllegalArgumentException e) {
      throw new SecretsException(
          "a value sealed under key '"
              + id
              + "' does not open: it was changed, or belongs to another row or other settings");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this JVM", e);
    }
  }

  @Override
  public boolean isSealed(String value) {
    return value != null
        && value.startsWith(SEALED_PREFIX)
        && value.indexOf(':', SEALED_PREFIX.length()) > SEALED_PREFIX.length();
  }

  @Override
  public boolean isCurrent(String sealed) {
    return isSealed(sealed) && keyId(sealed).equals(activeId);
  }

  private String keyId(String sealed) {
    if (!isSealed(sealed)) {
      throw new SecretsException("the value is not sealed (it does not start with v2:<key id>:)");
    }
    return sealed.substring(SEALED_PREFIX.length(), sealed.indexOf(':', SEALED_PREFIX.length()));
  }

  private static byte[] aad(String id, String context) {
    return (SEALED_PREFIX + id + ":" + context).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "KeyRing{active=" + activeId + ", keys=" + ids() + "}";
  }

  /** Builds a {@link KeyRing}. */
  public static final class Builder {
    private String activeId;
    private final Map<String, SecretKeySpec> keys = new LinkedHashMap<>();

    private Builder() {}

    /** The key that seals (and opens), as Base64 of 16, 24 or 32 bytes. */
    public Builder active(String id, String base64Key) {
      checkArgument(activeId == null, "the key ring already has an active key '%s'", activeId);
      add(id, base64Key);
      activeId = id;
      return this;
    }

    /** An older key that only opens what it sealed, as Base64 of 16, 24 or 32 bytes. */
    public Builder retired(String id, String base64Key) {
      add(id, base64Key);
      return this;
    }

    public KeyRing build() {
      checkArgument(activeId != null, "a key ring needs an active key");
      return new KeyRing(activeId, keys);
    }

    private void add(String id, String base64Key) {
      requireNonNull(id, "key id is null");
      requireNonNull(base64Key, "key " + id + " is null");
      checkArgument(ID.matcher(id).matches(), "key id '%s' must match %s", id, ID);
      checkArgument(!keys.containsKey(id), "key id '%s' is given twice", id);
      byte[] key;
      try {
        key = Base64.getDecoder().decode(base64Key.strip());
      } catch (IllegalArgumentException e) {
        key = new byte[0];
      }
      checkArgument(
          key.length == 16 || key.length == 24 || key.length == 32,
          "key '%s' must be the Base64 form of a 16, 24 or 32 byte key (for example the output of"
              + " 'openssl rand -base64 32')",
          id);
      keys.put(id, new SecretKeySpec(key, "AES"));
    }
  }
}
