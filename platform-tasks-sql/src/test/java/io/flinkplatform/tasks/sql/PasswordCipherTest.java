package io.flinkplatform.tasks.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Authenticated encryption of stored passwords. */
class PasswordCipherTest {
  static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);
  static final String OTHER_KEY = Base64.getEncoder().encodeToString(new byte[16]);
  private static final String PASSWORD = "S3cret-pw;'\"!";

  @Test
  void encryptsWithAFreshNonceAndDecryptsBack() {
    PasswordCipher cipher = PasswordCipher.fromBase64(KEY);

    String first = cipher.encrypt("warehouse", PASSWORD);
    String second = cipher.encrypt("warehouse", PASSWORD);

    assertThat(first).startsWith("v1:").isNotEqualTo(second);
    assertThat(first + second)
        .doesNotContain(PASSWORD)
        .doesNotContain(Base64.getEncoder().encodeToString(PASSWORD.getBytes()));
    assertThat(cipher.decrypt("warehouse", first)).isEqualTo(PASSWORD);
    assertThat(cipher.toString()).doesNotContain(KEY);
  }

  @Test
  void anotherKeyAnotherDatasourceOrAChangedValueDoNotDecrypt() {
    PasswordCipher cipher = PasswordCipher.fromBase64(KEY);
    String stored = cipher.encrypt("warehouse", PASSWORD);
    byte[] raw = Base64.getDecoder().decode(stored.substring(3));
    raw[20] ^= 1;
    String tampered = "v1:" + Base64.getEncoder().encodeToString(raw);

    for (Runnable attempt :
        new Runnable[] {
          () -> PasswordCipher.fromBase64(OTHER_KEY).decrypt("warehouse", stored),
          () -> cipher.decrypt("other", stored),
          () -> cipher.decrypt("warehouse", tampered),
          () -> cipher.decrypt("warehouse", "v1:AAAA")
        }) {
      assertThatThrownBy(attempt::run)
          .isInstanceOf(DatasourceException.class)
          .hasMessageContaining("does not decrypt")
          .hasMessageNotContaining(PASSWORD);
    }
  }

  @Test
  void aBadKeyIsRejectedWithoutShowingIt() {
    for (String bad : new String[] {"not base64!!", "c2hvcnQ=", ""}) {
      assertThatThrownBy(() -> PasswordCipher.fromBase64(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("the setting sql.encryptionKey must be the Base64 form of a 16,")
          .satisfies(e -> assertThat(bad.isEmpty() || !e.getMessage().contains(bad)).isTrue());
    }
  }
}
