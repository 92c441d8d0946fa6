@NullMarked
package dev.inboard.mesh.snapshot;

import org.jspecify.annotations.NullMarked;
