@NullMarked
package dev.inboard.mesh.bootstrap;

import org.jspecify.annotations.NullMarked;
