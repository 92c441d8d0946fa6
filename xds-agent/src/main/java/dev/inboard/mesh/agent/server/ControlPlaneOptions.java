package dev.inboard.mesh.agent.server;

import dev.inboard.mesh.agent.xdsgen.MeshSettings;
import dev.inboard.mesh.clock.MeshClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link LocalControlPlane} listens and behaves. Defaults follow istiod: xDS in plaintext on 15010, the
 * control API on 15014, pushes debounced 100 ms after the last change (at most 10 s after the first).
 *
 * <pre>{@code
 * ControlPlaneOptions options = ControlPlaneOptions.builder()
 *     .configDir(Path.of("istio"))
 *     .build();
 * }</pre>
 */
public final class ControlPlaneOptions {
  public static final int DEFAULT_XDS_PORT = 15010;
  public static final int DEFAULT_API_PORT = 15014;
  /** istiod's {@code PILOT_DEBOUNCE_AFTER}. */
  public static final Duration DEFAULT_DEBOUNCE_AFTER = Duration.ofMillis(100);
  /** istiod's {@code PILOT_DEBOUNCE_MAX}. */
  public static final Duration DEFAULT_DEBOUNCE_MAX = Duration.ofSeconds(10);
  public static final Duration DEFAULT_REGISTRATION_GRACE = Duration.ofSeconds(10);
  public static final Duration DEFAULT_CONFIG_POLL_INTERVAL = Duration.ofSeconds(1);

  private final String xdsHost;
  private final int xdsPort;
  private final int apiPort;
  private final Optional<Path> configDir;
  private final Duration debounceAfter;
  private final Duration debounceMax;
  private final Duration registrationGrace;
  private final Duration configPollInterval;
  private final MeshSettings mesh;
  private final MeshClock clock;
  private final Optional<Executor> executor;

  private ControlPlaneOptions(Builder b) {
    if (b.debounceMax.compareTo(b.debounceAfter) < 0) {
      throw new IllegalArgumentException("debounceMax (" + b.debounceMax + ") must not be shorter than debounceAfter ("
          + b.debounceAfter + ")");
    }
    this.xdsHost = b.xdsHost;
    this.xdsPort = b.xdsPort;
    this.apiPort = b.apiPort;
    this.configDir = Optional.ofNullable(b.configDir);
    this.debounceAfter = b.debounceAfter;
    this.debounceMax = b.debounceMax;
    this.registrationGrace = b.registrationGrace;
    this.configPollInterval = b.configPollInterval;
    this.mesh = b.mesh;
    this.clock = b.clock;
    this.executor = Optional.ofNullable(b.executor);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The address the xDS server binds ({@code 127.0.0.1} unless set). */
  public String xdsHost() {
    return xdsHost;
  }

  public int xdsPort() {
    return xdsPort;
  }

  /** The control API's port; it always binds loopback. */
  public int apiPort() {
    return apiPort;
  }

  public Optional<Path> configDir() {
    return configDir;
  }

  public Duration debounceAfter() {
    return debounceAfter;
  }

  public Duration debounceMax() {
    return debounceMax;
  }

  public Duration registrationGrace() {
    return registrationGrace;
  }

  public Duration configPollInterval() {
    return configPollInterval;
  }

  public MeshSettings mesh() {
    return mesh;
  }

  public MeshClock clock() {
    return clock;
  }

  /** Where state changes and pushes run; empty means a dedicated thread of the control plane. */
  public Optional<Executor> executor() {
    return executor;
  }

  /** Builds {@link ControlPlaneOptions}; every setter validates its argument. */
  public static final class Builder {
    private String xdsHost = "127.0.0.1";
    private int xdsPort = DEFAULT_XDS_PORT;
    private int apiPort = DEFAULT_API_PORT;
    private @Nullable Path configDir;
    private Duration debounceAfter = DEFAULT_DEBOUNCE_AFTER;
    private Duration debounceMax = DEFAULT_DEBOUNCE_MAX;
    private Duration registrationGrace = DEFAULT_REGISTRATION_GRACE;
    private Duration configPollInterval = DEFAULT_CONFIG_POLL_INTERVAL;
    private MeshSettings mesh = MeshSettings.DEFAULT;
    private MeshClock clock = MeshClock.system();
    private @Nullable Executor executor;

    private Builder() {}

    public Builder xdsHost(String host) {
      if (host.isBlank()) {
        throw new IllegalArgumentException("xdsHost must not be blank");
      }
      this.xdsHost = host;
      return this;
    }

    /** The xDS port; 0 picks a free one. */
    public Builder xdsPort(int port) {
      this.xdsPort = port(port, "xdsPort");
      return this;
    }

    /** The control API port; 0 picks a free one. */
    public Builder apiPort(int port) {
      this.apiPort = port(port, "apiPort");
      return this;
    }

    /** A directory of Istio YAML, loaded at start and reloaded when it changes. */
    public Builder configDir(Path dir) {
      this.configDir = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /** Quiet time after the last change before a push. */
    public Builder debounceAfter(Duration after) {
      this.debounceAfter = positive(after, "debounceAfter");
      return this;
    }

    /** Longest a push waits for quiet after the first change. */
    public Builder debounceMax(Duration max) {
      this.debounceMax = positive(max, "debounceMax");
      return this;
    }

    /** How long a disconnected workload stays registered; a reconnect within it keeps the registration. */
    public Builder registrationGrace(Duration grace) {
      Objects.requireNonNull(grace, "grace");
      if (grace.isNegative()) {
        throw new IllegalArgumentException("registrationGrace must not be negative, was " + grace);
      }
      this.registrationGrace = grace;
      return this;
    }

    /** How often the config directory is checked for changes. */
    public Builder configPollInterval(Duration interval) {
      this.configPollInterval = positive(interval, "configPollInterval");
      return this;
    }

    public Builder mesh(MeshSettings mesh) {
      this.mesh = Objects.requireNonNull(mesh, "mesh");
      return this;
    }

    public Builder clock(MeshClock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Where state changes and pushes run (they are serialized whatever the executor); a direct executor makes
     * timer-driven work run on the thread that advances a test clock.
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    public ControlPlaneOptions build() {
      return new ControlPlaneOptions(this);
    }

    private static int port(int port, String what) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException(what + " must be in [0, 65535], was " + port);
      }
      return port;
    }

    private static Duration positive(Duration d, String what) {
      Objects.requireNonNull(d, what);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive, was " + d);
      }
      return d;
    }
  }
}
