@NullMarked
package dev.inboard.mesh.xds.parse;

import org.jspecify.annotations.NullMarked;
