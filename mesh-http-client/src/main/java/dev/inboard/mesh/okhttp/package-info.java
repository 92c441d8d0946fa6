/**
 * Inboard for OkHttp: {@link dev.inboard.mesh.okhttp.MeshOkHttp#enable} adds an application interceptor that
 * routes, balances, retries, times out, mirrors and injects faults as the mesh's configuration says.
 */
@NullMarked
package dev.inboard.mesh.okhttp;

import org.jspecify.annotations.NullMarked;
