/** Bookinfo's ratings service. */
@NullMarked
package dev.inboard.bookinfo.ratings;

import org.jspecify.annotations.NullMarked;
