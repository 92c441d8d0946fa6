/** Istio configuration as users write it: YAML documents loaded into fabric8's model of Istio's API. */
@NullMarked
package dev.inboard.mesh.agent.config;

import org.jspecify.annotations.NullMarked;
