/**
 * grpc-java integration: {@link dev.inboard.mesh.grpc.MeshChannels} gives a channel whose calls the traffic engine
 * routes one by one, and {@link dev.inboard.mesh.grpc.MeshServerInterceptor} runs the inbound chain of a server.
 */
@NullMarked
package dev.inboard.mesh.grpc;

import org.jspecify.annotations.NullMarked;
