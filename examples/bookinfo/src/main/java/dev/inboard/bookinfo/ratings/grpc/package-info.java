/** The ratings gRPC API: protoc-generated messages and their grpc-java binding, {@link RatingsGrpc}. */
@NullMarked
package dev.inboard.bookinfo.ratings.grpc;

import org.jspecify.annotations.NullMarked;
