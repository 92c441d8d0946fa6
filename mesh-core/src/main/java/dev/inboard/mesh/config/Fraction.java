package dev.inboard.mesh.config;

/**
 * A probability normalised to parts per million (Envoy's {@code FractionalPercent} with any denominator, or a
 * {@code Percent}). Values above one million are clamped, as Envoy does.
 */
public record Fraction(int perMillion) {
  public static final int MILLION = 1_000_000;
  public static final Fraction ALL = new Fraction(MILLION);
  public static final Fraction NONE = new Fraction(0);

  public Fraction {
    if (perMillion < 0) {
      throw new IllegalArgumentException("fraction must not be negative, was " + perMillion);
    }
    perMillion = Math.min(perMillion, MILLION);
  }

  public static Fraction ofPercent(double percent) {
    return new Fraction((int) Math.round(Math.max(0, Math.min(100, percent)) * 10_000));
  }
}
