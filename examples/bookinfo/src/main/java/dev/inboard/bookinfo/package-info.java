/**
 * Istio's Bookinfo sample as Spring Boot applications in the mesh: {@code productpage}, {@code details},
 * {@code reviews} (v1, v2, v3) and {@code ratings}, each started by {@link dev.inboard.bookinfo.BookinfoMain}.
 */
@NullMarked
package dev.inboard.bookinfo;

import org.jspecify.annotations.NullMarked;
