package dev.inboard.mesh.lb;

/** Picks among a fixed, non-empty array of hosts, keeping whatever state its policy needs (cursors, rings). */
interface HostPicker {

  /**
   * One pick. {@code hash} is the request's hash (only hashing policies read it; others use their random source),
   * {@code attempt} counts from 0 and rises when a retry predicate rejected the previous pick.
   */
  Host pick(long hash, boolean hasHash, int attempt);
}
