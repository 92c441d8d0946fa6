/**
 * Spring Boot auto-configuration for Inboard: a {@link dev.inboard.mesh.Mesh} bean configured from {@code mesh.*}
 * properties (over the Istio pod environment), start-up failure analysis, and an actuator endpoint and health
 * indicator when the actuator is present.
 */
@NullMarked
package dev.inboard.mesh.spring;

import org.jspecify.annotations.NullMarked;
