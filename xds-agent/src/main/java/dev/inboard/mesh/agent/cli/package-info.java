/** {@code meshctl}: serve Istio YAML as xDS, change what is served, and inspect what workloads receive. */
@NullMarked
package dev.inboard.mesh.agent.cli;

import org.jspecify.annotations.NullMarked;
