/**
 * Load runs of the mesh's client adapters beside the plain clients and grpc-java's own xDS client: a backend process
 * (echo gRPC server, HTTP/2 server and the local control plane) and a load generator that interleaves the client
 * variants in rounds and reports latency percentiles (HdrHistogram), throughput, CPU and allocation per call.
 */
@NullMarked
package dev.inboard.mesh.bench.load;

import org.jspecify.annotations.NullMarked;
