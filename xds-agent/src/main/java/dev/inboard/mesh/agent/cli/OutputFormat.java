package dev.inboard.mesh.agent.cli;

/** {@code -o}: a table for people (default), or the control API's JSON. */
enum OutputFormat {
  TABLE, JSON
}
