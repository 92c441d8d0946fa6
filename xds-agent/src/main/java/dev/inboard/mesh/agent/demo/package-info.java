/**
 * A runnable demonstration until the local control plane lands: istiod-shaped Bookinfo xDS served by Envoy's
 * java-control-plane on loopback, an Inboard xDS client connected to it, and the admin page showing what it holds.
 */
@NullMarked
package dev.inboard.mesh.agent.demo;

import org.jspecify.annotations.NullMarked;
