package dev.inboard.mesh.xds;

import dev.inboard.mesh.bootstrap.ConfigShape;
import dev.inboard.mesh.bootstrap.ControlPlaneChannels;
import dev.inboard.mesh.bootstrap.NodeInfo;
import dev.inboard.mesh.bootstrap.XdsBootstrap;
import dev.inboard.mesh.clock.MeshClock;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * How an {@link XdsClient} connects and behaves. Give it a bootstrap (the usual way: it names the control plane,
 * how to reach it and who this workload is), or, when embedding, a channel you own plus the node.
 *
 * <pre>{@code
 * XdsClient client = XdsClient.create(XdsClientOptions.builder()
 *     .bootstrap(BootstrapLoader.load())
 *     .build());
 * }</pre>
 */
public final class XdsClientOptions {
  /** Envoy's default {@code initial_fetch_timeout}. */
  public static final Duration DEFAULT_INITIAL_FETCH_TIMEOUT = Duration.ofSeconds(15);

  private final Optional<XdsBootstrap> bootstrap;
  private final Optional<Channel> channel;
  private final NodeInfo node;
  private final String serverName;
  private final XdsProtocol protocol;
  private final MeshClock clock;
  private final RandomGenerator random;
  private final Backoff backoff;
  private final Duration initialFetchTimeout;

  private XdsClientOptions(Builder b) {
    this.bootstrap = Optional.ofNullable(b.bootstrap);
    this.channel = Optional.ofNullable(b.channel);
    NodeInfo n = b.node != null ? b.node : b.bootstrap != null ? b.bootstrap.node() : null;
    if (n == null) {
      throw new IllegalArgumentException("XdsClientOptions: no node identity; set bootstrap(...) or node(...)");
    }
    if (b.channel == null && b.bootstrap == null) {
      throw new IllegalArgumentException("XdsClientOptions: no control plane; set bootstrap(...) or channel(...)");
    }
    this.node = n;
    this.serverName = b.channel != null ? b.serverName : b.bootstrap.server().target();
    this.protocol = b.protocol;
    this.clock = b.clock;
    this.random = b.random;
    this.backoff = b.backoff;
    if (b.initialFetchTimeout.isNegative() || b.initialFetchTimeout.isZero()) {
      throw new IllegalArgumentException(
          "XdsClientOptions: initialFetchTimeout must be positive, was " + b.initialFetchTimeout);
    }
    this.initialFetchTimeout = b.initialFetchTimeout;
  }

  public static Builder builder() {
    return new Builder();
  }

  public NodeInfo node() {
    return node;
  }

  public XdsProtocol protocol() {
    return protocol;
  }

  public Duration initialFetchTimeout() {
    return initialFetchTimeout;
  }

  /** Resolves to the client's settings, opening the control-plane channel when the client owns it. */
  XdsClient.Settings settings() {
    Channel ch;
    Runnable onClose;
    if (channel.isPresent()) {
      ch = channel.get();
      onClose = () -> { };
    } else {
      ManagedChannel owned = ControlPlaneChannels.create(bootstrap.orElseThrow());
      ch = owned;
      onClose = owned::shutdown;
    }
    return new XdsClient.Settings(ch, NodeProtos.toProto(node), serverName, node.shape() == ConfigShape.GRPC,
        protocol, clock, random, backoff, initialFetchTimeout, onClose);
  }

  /** Builds {@link XdsClientOptions}; every setter validates its argument. */
  public static final class Builder {
    private XdsBootstrap bootstrap;
    private Channel channel;
    private String serverName = "";
    private NodeInfo node;
    private XdsProtocol protocol = XdsProtocol.AUTO;
    private MeshClock clock = MeshClock.system();
    private RandomGenerator random = new SplittableRandom();
    private Backoff backoff = Backoff.DEFAULT;
    private Duration initialFetchTimeout = DEFAULT_INITIAL_FETCH_TIMEOUT;

    private Builder() {}

    /** Control plane, node and certificate providers from a bootstrap; the client opens and closes the channel. */
    public Builder bootstrap(XdsBootstrap bootstrap) {
      this.bootstrap = Objects.requireNonNull(bootstrap, "bootstrap");
      return this;
    }

    /** A channel the caller owns (the client never closes it), named {@code serverName} in logs and dumps. */
    public Builder channel(Channel channel, String serverName) {
      this.channel = Objects.requireNonNull(channel, "channel");
      this.serverName = Objects.requireNonNull(serverName, "serverName");
      return this;
    }

    /** The node to announce; overrides the bootstrap's. */
    public Builder node(NodeInfo node) {
      this.node = Objects.requireNonNull(node, "node");
      return this;
    }

    /** Delta (default {@code AUTO}: Delta, falling back to state-of-the-world) or state-of-the-world. */
    public Builder protocol(XdsProtocol protocol) {
      this.protocol = Objects.requireNonNull(protocol, "protocol");
      return this;
    }

    public Builder clock(MeshClock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The random source for backoff jitter. */
    public Builder random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    public Builder backoff(Backoff backoff) {
      this.backoff = Objects.requireNonNull(backoff, "backoff");
      return this;
    }

    /** How long a named resource may take to arrive before it is treated as not existing (default 15 s). */
    public Builder initialFetchTimeout(Duration timeout) {
      this.initialFetchTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    public XdsClientOptions build() {
      return new XdsClientOptions(this);
    }
  }
}
