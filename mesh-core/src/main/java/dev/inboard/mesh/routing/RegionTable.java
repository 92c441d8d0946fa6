package dev.inboard.mesh.routing;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An immutable open-addressing map from strings to values that is queried with a region of a larger string, so
 * that looking up a host or a path segment does not cut (allocate) a substring. Keys are stored as given; with
 * {@code ignoreCase} the keys must be lower case and the region is folded (ASCII) while hashing and comparing.
 */
final class RegionTable<V> {
  private final String[] keys;
  private final Object[] values;
  private final int mask;
  private final boolean ignoreCase;

  RegionTable(Map<String, V> entries, boolean ignoreCase) {
    int capacity = Integer.highestOneBit(Math.max(4, entries.size() * 2 + 1) * 2 - 1);
    this.keys = new String[capacity];
    this.values = new Object[capacity];
    this.mask = capacity - 1;
    this.ignoreCase = ignoreCase;
    for (Map.Entry<String, V> entry : entries.entrySet()) {
      String key = entry.getKey();
      int slot = hash(key, 0, key.length()) & mask;
      while (keys[slot] != null) {
        slot = (slot + 1) & mask;
      }
      keys[slot] = key;
      values[slot] = entry.getValue();
    }
  }

  boolean isEmpty() {
    for (String key : keys) {
      if (key != null) {
        return false;
      }
    }
    return true;
  }

  /** The value stored under {@code s[from, to)}, or null. */
  @SuppressWarnings("unchecked")
  @Nullable V get(String s, int from, int to) {
    int slot = hash(s, from, to) & mask;
    int length = to - from;
    while (true) {
      String key = keys[slot];
      if (key == null) {
        return null;
      }
      if (key.length() == length && Ascii.regionEquals(s, from, key, ignoreCase)) {
        return (V) values[slot];
      }
      slot = (slot + 1) & mask;
    }
  }

  private int hash(String s, int from, int to) {
    int h = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      h = 31 * h + (ignoreCase ? Ascii.lower(c) : c);
    }
    h *= 0x9E3779B9; // spreads keys that differ only in their last characters (svc1, svc2...)
    return h ^ (h >>> 16);
  }
}
