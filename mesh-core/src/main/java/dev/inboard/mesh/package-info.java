/** Inboard's public face: {@link dev.inboard.mesh.Mesh} and {@link dev.inboard.mesh.MeshOptions}. */
@NullMarked
package dev.inboard.mesh;

import org.jspecify.annotations.NullMarked;
