@NullMarked
package dev.inboard.mesh.clock;

import org.jspecify.annotations.NullMarked;
