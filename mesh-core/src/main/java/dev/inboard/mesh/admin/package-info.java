@NullMarked
package dev.inboard.mesh.admin;

import org.jspecify.annotations.NullMarked;
