package io.flinkplatform.spi;

/** {@link Secrets#none()}. */
enum NoSecrets implements Secrets {
  INSTANCE;

  private static final String MESSAGE =
      "no key ring is given: give one with Platform.builder().keyRing(...)";

  @Override
  public boolean available() {
    return false;
  }

  @Override
  public String seal(String plain, String context) {
    throw new SecretsException(MESSAGE);
  }

  @Override
  public String open(String sealed, String context) {
    throw new SecretsException(MESSAGE);
  }

  @Override
  public boolean isSealed(String value) {
    return value != null && value.startsWith(SEALED_PREFIX);
  }

  @Override
  public boolean isCurrent(String sealed) {
    return false;
  }

  @Override
  public String toString() {
    return "Secrets{none}";
  }
}
