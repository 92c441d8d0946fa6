/** Bookinfo's details service. */
@NullMarked
package dev.inboard.bookinfo.details;

import org.jspecify.annotations.NullMarked;
