/**
 * The traffic engine: the compiled runtime of one snapshot (route tables, upstream clusters) and the per-request
 * decision an Envoy sidecar would make. Transport-neutral; adapters call it.
 */
@NullMarked
package dev.inboard.mesh.engine;

import org.jspecify.annotations.NullMarked;
