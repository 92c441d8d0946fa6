/** What the Bookinfo services share: start-up defaults, header propagation, JSON writing. */
@NullMarked
package dev.inboard.bookinfo.common;

import org.jspecify.annotations.NullMarked;
