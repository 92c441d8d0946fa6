/** Authentication policy: PeerAuthentication (mTLS modes) and RequestAuthentication (JWT). */
@NullMarked
package dev.inboard.mesh.agent.authn;

import org.jspecify.annotations.NullMarked;
