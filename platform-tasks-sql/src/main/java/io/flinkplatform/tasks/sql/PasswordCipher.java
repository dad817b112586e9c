package io.flinkplatform.tasks.sql;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Reads datasource passwords stored by earlier versions in the {@code v1:} format, under the key in
 * the legacy setting {@code sql.encryptionKey}: AES-GCM, the Base64 form of a random 12-byte nonce
 * followed by the ciphertext and its 16-byte tag, the datasource's name authenticated with it. New
 * values are sealed with the platform's key ring instead ({@link Credentials}), and {@link
 * DatasourceRegistry#reencrypt()} moves {@code v1:} values there. {@link #toString()} never shows
 * the key.
 */
final class PasswordCipher {
  static final String SETTING = "sql.encryptionKey";
  static final String VERSION = "v1:";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;

  private PasswordCipher(byte[] key) {
    this.key = new SecretKeySpec(key, "AES");
  }

  /**
   * Reads a key given as Base64 of 16, 24 or 32 bytes.
   *
   * @throws IllegalArgumentException that names the setting and never shows the value
   */
  static PasswordCipher fromBase64(String encoded) {
    requireNonNull(encoded, "encoded is null");
    byte[] key;
    try {
      key = Base64.getDecoder().decode(encoded.trim());
    } catch (IllegalArgumentException e) {
      key = new byte[0];
    }
    if (key.length != 16 && key.length != 24 && key.length != 32) {
      throw new IllegalArgumentException(
          "the setting "
              + SETTING
              + " must be the Base64 form of a 16, 24 or 32 byte key (for example the output of"
              + " 'openssl rand -base64 32')");
    }
    return new PasswordCipher(key);
  }

  /** Encrypts the password of the datasource called {@code name} (as earlier versions did). */
  String encrypt(String name, String password) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(aad(name));
      byte[] sealed = cipher.doFinal(password.getBytes(StandardCharsets.UTF_8));
      return VERSION
          + Base64.getEncoder()
              .encodeToString(
                  ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this JVM", e);
    }
  }

  /**
   * Decrypts a stored password of the datasource called {@code name}.
   *
   * @throws DatasourceException if the value was changed, belongs to another datasource or was
   *     encrypted with another key
   */
  String decrypt(String name, String stored) {
    if (!stored.startsWith(VERSION)) {
      throw new DatasourceException(
          "the stored password of datasource '" + name + "' is not in a known format");
    }
    try {
      byte[] all = Base64.getDecoder().decode(stored.substring(VERSION.length()));
      if (all.length < NONCE_BYTES + TAG_BITS / 8) {
        throw new AEADBadTagException("too short");
      }
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, NONCE_BYTES));
      cipher.updateAAD(aad(name));
      byte[] plain = cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES);
      return new String(plain, StandardCharsets.UTF_8);
    } catch (AEADBadTagException | IllegalArgumentException e) {
      throw new DatasourceException(
          "the stored password of datasource '"
              + name
              + "' does not decrypt: it was encrypted with another "
              + SETTING
              + ", or changed");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this JVM", e);
    }
  }

  private static byte[] aad(String name) {
    return ("t_datasource/" + name).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "PasswordCipher{AES-GCM, key=" + Redaction.MASK + "}";
  }
}
