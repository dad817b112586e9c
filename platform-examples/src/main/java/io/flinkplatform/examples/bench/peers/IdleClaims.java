package io.flinkplatform.examples.bench.peers;

/**
 * How many samples of a drain found a claim idle: due {@code READY} work in the database while the
 * instances held fewer {@code RUNNING} attempts than they have worker slots.
 */
public record IdleClaims(long idle, long samples) {
  public static final IdleClaims NONE = new IdleClaims(0, 0);

  public double fraction() {
    return samples == 0 ? Double.NaN : (double) idle / samples;
  }
}
