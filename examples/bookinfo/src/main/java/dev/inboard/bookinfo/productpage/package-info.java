/** Bookinfo's productpage service. */
@NullMarked
package dev.inboard.bookinfo.productpage;

import org.jspecify.annotations.NullMarked;
