/** What the data plane decided for one request, in terms both the engine and the adapters share. */
@NullMarked
package dev.inboard.mesh.decision;

import org.jspecify.annotations.NullMarked;
