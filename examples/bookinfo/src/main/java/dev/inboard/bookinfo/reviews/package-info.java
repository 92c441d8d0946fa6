/** Bookinfo's reviews service. */
@NullMarked
package dev.inboard.bookinfo.reviews;

import org.jspecify.annotations.NullMarked;
