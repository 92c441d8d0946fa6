package dev.inboard.mesh.routing;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An immutable open-addressing map from strings to values that is queried with a region of a larger string, so
 * that looking up a host or a path segment does not cut (allocate) a substring. Keys are stored as given, their
 * characters packed in one array so that a lookup in a large table touches few cache lines; with
 * {@code ignoreCase} the keys must be lower case and the region is folded (ASCII) while hashing and comparing.
 */
final class RegionTable<V> {
  private final int[] hashes;
  private final int[] offsets;
  private final int[] lengths;
  private final char[] chars;
  private final Object[] values;
  private final int mask;
  private final boolean ignoreCase;

  RegionTable(Map<String, V> entries, boolean ignoreCase) {
    int capacity = Integer.highestOneBit(Math.max(4, entries.size() * 2 + 1) * 2 - 1);
    this.hashes = new int[capacity];
    this.offsets = new int[capacity];
    this.lengths = new int[capacity];
    this.values = new Object[capacity];
    this.mask = capacity - 1;
    this.ignoreCase = ignoreCase;
    int total = 0;
    for (String key : entries.keySet()) {
      total += key.length();
    }
    this.chars = new char[total];
    int next = 0;
    for (Map.Entry<String, V> entry : entries.entrySet()) {
      String key = entry.getKey();
      int hash = hash(key, 0, key.length());
      int slot = hash & mask;
      while (values[slot] != null) {
        slot = (slot + 1) & mask;
      }
      key.getChars(0, key.length(), chars, next);
      hashes[slot] = hash;
      offsets[slot] = next;
      lengths[slot] = key.length();
      values[slot] = entry.getValue();
      next += key.length();
    }
  }

  /** The value stored under {@code s[from, to)}, or null. */
  @Nullable V get(String s, int from, int to) {
    // Two copies of the lookup, so that the compiler's profile of one (built while compiling a large table) does
    // not slow down the other.
    return ignoreCase ? getFolded(s, from, to) : getExact(s, from, to);
  }

  @SuppressWarnings("unchecked")
  private @Nullable V getExact(String s, int from, int to) {
    int hash = exactHash(s, from, to);
    int slot = hash & mask;
    int length = to - from;
    while (true) {
      Object value = values[slot];
      if (value == null) {
        return null;
      }
      if (hashes[slot] == hash && lengths[slot] == length && exactEquals(s, from, offsets[slot], length)) {
        return (V) value;
      }
      slot = (slot + 1) & mask;
    }
  }

  @SuppressWarnings("unchecked")
  private @Nullable V getFolded(String s, int from, int to) {
    int hash = foldedHash(s, from, to);
    int slot = hash & mask;
    int length = to - from;
    while (true) {
      Object value = values[slot];
      if (value == null) {
        return null;
      }
      if (hashes[slot] == hash && lengths[slot] == length && foldedEquals(s, from, offsets[slot], length)) {
        return (V) value;
      }
      slot = (slot + 1) & mask;
    }
  }

  private boolean exactEquals(String s, int from, int offset, int length) {
    for (int i = 0; i < length; i++) {
      if (s.charAt(from + i) != chars[offset + i]) {
        return false;
      }
    }
    return true;
  }

  private boolean foldedEquals(String s, int from, int offset, int length) {
    for (int i = 0; i < length; i++) {
      if (Ascii.lower(s.charAt(from + i)) != chars[offset + i]) {
        return false;
      }
    }
    return true;
  }

  private int hash(String s, int from, int to) {
    return ignoreCase ? foldedHash(s, from, to) : exactHash(s, from, to);
  }

  private static int exactHash(String s, int from, int to) {
    int h = 0;
    for (int i = from; i < to; i++) {
      h = 31 * h + s.charAt(i);
    }
    return spread(h);
  }

  private static int foldedHash(String s, int from, int to) {
    int h = 0;
    for (int i = from; i < to; i++) {
      h = 31 * h + Ascii.lower(s.charAt(i));
    }
    return spread(h);
  }

  /** Spreads keys that differ only in their last characters ({@code svc1}, {@code svc2}...). */
  private static int spread(int h) {
    h *= 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}
