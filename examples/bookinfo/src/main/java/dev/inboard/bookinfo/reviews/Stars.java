package dev.inboard.bookinfo.reviews;

import java.util.Map;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * The stars ratings gave each reviewer; a reviewer ratings did not rate (or every reviewer, when ratings could not
 * be reached) has none, and the review says so.
 *
 * @param reviewer1 Reviewer1's stars, if rated
 * @param reviewer2 Reviewer2's stars, if rated
 */
public record Stars(OptionalInt reviewer1, OptionalInt reviewer2) {
  /** Ratings could not be had. */
  public static final Stars UNAVAILABLE = new Stars(OptionalInt.empty(), OptionalInt.empty());

  /** The stars in a ratings map ({@code Reviewer1 -> 5, ...}). */
  public static Stars of(Map<String, Integer> ratings) {
    return new Stars(star(ratings.get("Reviewer1")), star(ratings.get("Reviewer2")));
  }

  private static OptionalInt star(@Nullable Integer value) {
    return value == null ? OptionalInt.empty() : OptionalInt.of(value);
  }
}
