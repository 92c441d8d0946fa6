package dev.inboard.mesh;

import dev.inboard.mesh.bootstrap.BootstrapLoader;
import dev.inboard.mesh.bootstrap.XdsBootstrap;
import dev.inboard.mesh.clock.MeshClock;
import dev.inboard.mesh.xds.XdsClientOptions;
import dev.inboard.mesh.xds.XdsProtocol;
import io.grpc.Channel;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * How a {@link Mesh} starts: where the control plane is and who this workload is (a bootstrap, or a channel plus a
 * node for embedding), plus injected time and randomness. {@code MeshOptions.builder().build()} loads the bootstrap
 * from the environment ({@link BootstrapLoader#load()}).
 */
public final class MeshOptions {
  /** What happens to a request for a host the mesh does not know (Istio's {@code outboundTrafficPolicy}). */
  public enum OutboundPolicy {
    /** Pass it through untouched (Istio's default). */
    ALLOW_ANY,
    /** Fail it with a clear reason. */
    REGISTRY_ONLY
  }

  private final Optional<XdsBootstrap> bootstrap;
  private final Optional<XdsClientOptions> xdsOptions;
  private final MeshClock clock;
  private final RandomGenerator random;
  private final OutboundPolicy outboundPolicy;

  private MeshOptions(Builder b) {
    this.bootstrap = Optional.ofNullable(b.bootstrap);
    this.xdsOptions = Optional.ofNullable(b.xdsOptions);
    this.clock = b.clock;
    this.random = b.random;
    this.outboundPolicy = b.outboundPolicy;
  }

  public static Builder builder() {
    return new Builder();
  }

  public MeshClock clock() {
    return clock;
  }

  public RandomGenerator random() {
    return random;
  }

  public OutboundPolicy outboundPolicy() {
    return outboundPolicy;
  }

  /** The xDS client's options: as given, else from the bootstrap (loaded from the environment when absent). */
  XdsClientOptions xdsClientOptions() {
    return xdsOptions.orElseGet(() -> XdsClientOptions.builder()
        .bootstrap(bootstrap.orElseGet(BootstrapLoader::load))
        .clock(clock)
        .random(random)
        .build());
  }

  /** Builds {@link MeshOptions}. */
  public static final class Builder {
    private XdsBootstrap bootstrap;
    private XdsClientOptions xdsOptions;
    private MeshClock clock = MeshClock.system();
    // Shared by every request thread: ThreadLocalRandom underneath, never one unsynchronised generator.
    private RandomGenerator random = dev.inboard.mesh.lb.ThreadLocalRandomGenerator.INSTANCE;
    private OutboundPolicy outboundPolicy = OutboundPolicy.ALLOW_ANY;

    private Builder() {}

    /** The control plane and node (default: {@link BootstrapLoader#load()} from the environment). */
    public Builder bootstrap(XdsBootstrap bootstrap) {
      this.bootstrap = Objects.requireNonNull(bootstrap, "bootstrap");
      return this;
    }

    /** Full control of the xDS client (embedding, tests); overrides {@link #bootstrap}. */
    public Builder xdsClientOptions(XdsClientOptions options) {
      this.xdsOptions = Objects.requireNonNull(options, "options");
      return this;
    }

    /** A channel the caller owns and the node to announce, e.g. an in-process control plane in tests. */
    public Builder channel(Channel channel, String serverName, dev.inboard.mesh.bootstrap.NodeInfo node,
        XdsProtocol protocol) {
      this.xdsOptions = XdsClientOptions.builder().channel(channel, serverName).node(node).protocol(protocol)
          .build();
      return this;
    }

    public Builder clock(MeshClock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The random source for routing and load balancing. It is used from every request thread at once, so it must
     * be thread-safe (the default is); a seeded generator suits single-threaded tests only.
     */
    public Builder random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    public Builder outboundPolicy(OutboundPolicy policy) {
      this.outboundPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    public MeshOptions build() {
      return new MeshOptions(this);
    }
  }
}
