@NullMarked
package dev.inboard.mesh.xds;

import org.jspecify.annotations.NullMarked;
