/**
 * The control API {@code meshctl} speaks to a running local control plane: HTTP and JSON on loopback (apply,
 * delete, proxy-status, proxy-config), with xDS shown as protojson.
 */
@NullMarked
package dev.inboard.mesh.agent.server.api;

import org.jspecify.annotations.NullMarked;
