/** {@code meshctl analyze}: schema and cross-resource checks of Istio configuration, before it is served. */
@NullMarked
package dev.inboard.mesh.agent.analyze;

import org.jspecify.annotations.NullMarked;
