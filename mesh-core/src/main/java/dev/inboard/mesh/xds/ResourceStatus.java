package dev.inboard.mesh.xds;

/** Where one subscribed resource stands. */
public enum ResourceStatus {
  /** Asked for; nothing received yet. */
  REQUESTED,
  /** The last version received was valid and is in use. */
  ACKED,
  /** The last version received was invalid; the last good version (if any) stays in use. */
  NACKED,
  /** The control plane never sent it within the initial fetch timeout, or said it has no such resource. */
  DOES_NOT_EXIST,
  /** The control plane removed a resource it had sent before. */
  REMOVED
}
