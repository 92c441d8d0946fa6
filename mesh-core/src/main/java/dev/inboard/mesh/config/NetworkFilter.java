package dev.inboard.mesh.config;

import java.util.List;
import java.util.Objects;

/**
 * One network filter of a filter chain, in order. Filters a later stage interprets (network RBAC, Istio's metadata
 * exchange and stats...) stay {@link Opaque}.
 */
public sealed interface NetworkFilter {

  /** The filter's name, e.g. {@code envoy.filters.network.http_connection_manager}. */
  String name();

  /** An HTTP connection manager: the terminal filter of HTTP filter chains. */
  record HttpConnectionManager(String name, HttpConnectionManagerConfig config) implements NetworkFilter {
    public HttpConnectionManager {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(config, "config");
    }
  }

  /** A TCP proxy: the terminal filter of TCP filter chains (passthrough, blackhole, TCP services). */
  record TcpProxy(String name, String statPrefix, Target target) implements NetworkFilter {
    public TcpProxy {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(statPrefix, "statPrefix");
      Objects.requireNonNull(target, "target");
    }

    /** The TCP proxy's {@code cluster_specifier}. */
    public sealed interface Target {

      /** One cluster, e.g. {@code PassthroughCluster} or {@code outbound|3306||mysql.default.svc.cluster.local}. */
      record Cluster(String name) implements Target {
        public Cluster {
          Objects.requireNonNull(name, "name");
          if (name.isEmpty()) {
            throw new IllegalArgumentException("tcp proxy cluster must not be empty");
          }
        }
      }

      /** Clusters picked by weight per connection; every weight is at least 1. */
      record Weighted(List<WeightedCluster> clusters) implements Target {
        public Weighted {
          clusters = List.copyOf(clusters);
          if (clusters.isEmpty()) {
            throw new IllegalArgumentException("tcp proxy weighted clusters must not be empty");
          }
        }
      }
    }

    /** One weighted TCP cluster. */
    public record WeightedCluster(String name, long weight) {
      public WeightedCluster {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
          throw new IllegalArgumentException("tcp proxy cluster must not be empty");
        }
        if (weight < 1 || weight > 0xFFFF_FFFFL) {
          throw new IllegalArgumentException("weight of " + name + " must be in [1, 4294967295], was " + weight);
        }
      }
    }
  }

  /**
   * A filter not interpreted here.
   *
   * @param typeUrl the config's type URL (or the one a {@code TypedStruct} carries); empty without a config
   */
  record Opaque(String name, String typeUrl) implements NetworkFilter {
    public Opaque {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(typeUrl, "typeUrl");
    }
  }
}
