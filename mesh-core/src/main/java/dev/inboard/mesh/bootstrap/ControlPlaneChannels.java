package dev.inboard.mesh.bootstrap;

import io.grpc.ChannelCredentials;
import io.grpc.CompositeChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Opens the gRPC channel to the control plane described by a {@link ControlPlaneServer}: unix domain sockets
 * (grpc-netty-shaded's epoll transport, Linux only), plaintext TCP, or TLS with a custom root CA and authority,
 * optionally with the service account token as bearer token on every call.
 *
 * <p>Keepalive suits one long-lived ADS stream: a ping after {@link #KEEPALIVE_TIME} without traffic, the connection
 * dropped if unanswered within {@link #KEEPALIVE_TIMEOUT}, and no pings without an active call. istiod lets clients
 * ping every 15 s at most (half its own 30 s keepalive) and answers faster pings with a GOAWAY.
 */
public final class ControlPlaneChannels {
  private ControlPlaneChannels() {}

  public static final Duration KEEPALIVE_TIME = Duration.ofSeconds(30);
  public static final Duration KEEPALIVE_TIMEOUT = Duration.ofSeconds(10);
  /** xDS responses for large meshes exceed gRPC's 4 MiB default by far. */
  public static final int MAX_INBOUND_MESSAGE_BYTES = 128 * 1024 * 1024;

  /** The header istio-agent sends istiod on the ADS stream: the node's cluster, for multi-cluster token review. */
  public static final String CLUSTER_ID_HEADER = "clusterid";

  /**
   * A new channel to the bootstrap's server that also sends the node's {@code CLUSTER_ID} in the
   * {@value #CLUSTER_ID_HEADER} header on every call, as istio-agent does (istiod uses it to pick the cluster that
   * reviews the token). The caller owns the channel and shuts it down.
   *
   * @throws BootstrapException as {@link #create(ControlPlaneServer)}
   */
  public static ManagedChannel create(XdsBootstrap bootstrap) {
    Metadata headers = new Metadata();
    bootstrap
        .node()
        .clusterId()
        .ifPresent(id -> headers.put(Metadata.Key.of(CLUSTER_ID_HEADER, Metadata.ASCII_STRING_MARSHALLER), id));
    return create(bootstrap.server(), headers);
  }

  /**
   * A new channel; the caller owns it and shuts it down.
   *
   * @throws BootstrapException when the root CA file cannot be read or a unix socket is asked for where epoll is
   *     unavailable
   */
  public static ManagedChannel create(ControlPlaneServer server) {
    return create(server, new Metadata());
  }

  private static ManagedChannel create(ControlPlaneServer server, Metadata headers) {
    ControlPlaneTarget target = server.parsedTarget();
    ChannelCredentials credentials = credentials(server);
    ManagedChannelBuilder<?> builder;
    try {
      if (target instanceof ControlPlaneTarget.Unix unix) {
        if (!Epoll.isAvailable()) {
          throw new BootstrapException(
              "control plane " + server.target() + ": unix domain sockets need grpc-netty-shaded's epoll "
                  + "transport (Linux), which is unavailable here (" + Epoll.unavailabilityCause()
                  + "); use a host:port address instead");
        }
        // grpc-netty-shaded's unix provider: epoll domain socket channel on a shared event loop group.
        builder = Grpc.newChannelBuilder(unix.grpcTarget(), credentials);
      } else {
        builder = NettyChannelBuilder.forTarget(target.grpcTarget(), credentials);
      }
    } catch (IllegalArgumentException e) {
      // Netty builds the TLS context eagerly; a root CA file that is not PEM fails here.
      throw new BootstrapException(
          "control plane " + server.target() + ": cannot set up the channel: " + e.getMessage()
              + rootCaHint(server.security()),
          e);
    }
    if (server.security() instanceof ChannelSecurity.Tls tls) {
      tls.authority().ifPresent(builder::overrideAuthority);
    }
    if (!headers.keys().isEmpty()) {
      builder.intercept(MetadataUtils.newAttachHeadersInterceptor(headers));
    }
    return builder
        .keepAliveTime(KEEPALIVE_TIME.toNanos(), TimeUnit.NANOSECONDS)
        .keepAliveTimeout(KEEPALIVE_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS)
        .keepAliveWithoutCalls(false)
        .maxInboundMessageSize(MAX_INBOUND_MESSAGE_BYTES)
        .userAgent(NodeInfo.USER_AGENT_NAME + "/" + NodeInfo.USER_AGENT_VERSION)
        .build();
  }

  private static String rootCaHint(ChannelSecurity security) {
    if (security instanceof ChannelSecurity.Tls tls && tls.rootCaFile().isPresent()) {
      return "; check that the root CA file " + tls.rootCaFile().get() + " holds PEM certificates";
    }
    return "";
  }

  private static ChannelCredentials credentials(ControlPlaneServer server) {
    ChannelCredentials channel;
    if (server.security() instanceof ChannelSecurity.Tls tls) {
      channel = tls(tls.rootCaFile(), server.target());
    } else {
      channel = InsecureChannelCredentials.create();
    }
    Optional<Path> token = server.bearerTokenFile();
    return token.isPresent()
        ? CompositeChannelCredentials.create(channel, new TokenFileCallCredentials(token.get()))
        : channel;
  }

  private static ChannelCredentials tls(Optional<Path> rootCa, String target) {
    if (rootCa.isEmpty()) {
      return TlsChannelCredentials.create();
    }
    try {
      return TlsChannelCredentials.newBuilder().trustManager(rootCa.get().toFile()).build();
    } catch (IOException | RuntimeException e) {
      throw new BootstrapException(
          "control plane " + target + ": cannot read the root CA file " + rootCa.get() + " (" + e.getMessage()
              + "); it must hold PEM certificates",
          e);
    }
  }
}
