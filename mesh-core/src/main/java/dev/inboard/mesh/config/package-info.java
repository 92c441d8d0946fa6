@NullMarked
package dev.inboard.mesh.config;

import org.jspecify.annotations.NullMarked;
