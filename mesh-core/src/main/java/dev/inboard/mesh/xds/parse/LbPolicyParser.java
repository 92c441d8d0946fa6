package dev.inboard.mesh.xds.parse;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.inboard.mesh.config.LbPolicy;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.LoadBalancingPolicy;
import io.envoyproxy.envoy.extensions.load_balancing_policies.cluster_provided.v3.ClusterProvided;
import io.envoyproxy.envoy.extensions.load_balancing_policies.common.v3.LocalityLbConfig;
import io.envoyproxy.envoy.extensions.load_balancing_policies.least_request.v3.LeastRequest;
import io.envoyproxy.envoy.extensions.load_balancing_policies.maglev.v3.Maglev;
import io.envoyproxy.envoy.extensions.load_balancing_policies.random.v3.Random;
import io.envoyproxy.envoy.extensions.load_balancing_policies.ring_hash.v3.RingHash;
import io.envoyproxy.envoy.extensions.load_balancing_policies.round_robin.v3.RoundRobin;
import io.envoyproxy.envoy.extensions.load_balancing_policies.wrr_locality.v3.WrrLocality;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A cluster's load-balancing policy: the typed {@code load_balancing_policy} when set (the first supported policy
 * in its list wins, {@code wrr_locality} is unwrapped), else {@code lb_policy} with its {@code *_lb_config}.
 * Errors in the legacy form read {@code lb_policy MAGLEV: table_size must be prime, was 100}.
 */
final class LbPolicyParser {
  private static final int MAX_NESTING = 16;

  private LbPolicyParser() {}

  /** The policy, and whether it asks for locality-weighted balancing on its own. */
  record Choice(LbPolicy policy, boolean localityWeighted) {}

  static Choice parse(Cluster c) throws XdsValidationException {
    if (c.hasLoadBalancingPolicy()) {
      return Validation.at("load_balancing_policy", () -> typed(c.getLoadBalancingPolicy(), 0));
    }
    return new Choice(legacy(c), false);
  }

  private static LbPolicy legacy(Cluster c) throws XdsValidationException {
    Cluster.LbPolicy policy = c.getLbPolicy();
    if (policy == Cluster.LbPolicy.UNRECOGNIZED) {
      throw new XdsValidationException("lb_policy", "unknown value " + c.getLbPolicyValue());
    }
    String path = "lb_policy " + policy.name();
    return switch (policy) {
      case ROUND_ROBIN -> new LbPolicy.RoundRobin();
      case LEAST_REQUEST -> {
        Cluster.LeastRequestLbConfig cfg = c.getLeastRequestLbConfig();
        yield Validation.at(path, () -> leastRequest(cfg.hasChoiceCount(), cfg.getChoiceCount().getValue(),
            cfg.hasActiveRequestBias(), cfg.getActiveRequestBias().getDefaultValue()));
      }
      case RING_HASH -> {
        Cluster.RingHashLbConfig cfg = c.getRingHashLbConfig();
        yield Validation.at(path, () -> ringHash(cfg.hasMinimumRingSize(), cfg.getMinimumRingSize().getValue(),
            cfg.hasMaximumRingSize(), cfg.getMaximumRingSize().getValue(), legacyHash(cfg), false));
      }
      case MAGLEV -> {
        Cluster.MaglevLbConfig cfg = c.getMaglevLbConfig();
        yield Validation.at(path, () -> maglev(cfg.hasTableSize(), cfg.getTableSize().getValue()));
      }
      case RANDOM -> new LbPolicy.Random();
      case CLUSTER_PROVIDED -> new LbPolicy.ClusterProvided();
      case LOAD_BALANCING_POLICY_CONFIG -> throw new XdsValidationException("lb_policy",
          "LOAD_BALANCING_POLICY_CONFIG needs load_balancing_policy to be set");
      case UNRECOGNIZED -> throw new XdsValidationException("lb_policy", "unknown value " + c.getLbPolicyValue());
    };
  }

  private static LbPolicy.HashFunction legacyHash(Cluster.RingHashLbConfig cfg) throws XdsValidationException {
    return switch (cfg.getHashFunction()) {
      case XX_HASH -> LbPolicy.HashFunction.XX_HASH;
      case MURMUR_HASH_2 -> LbPolicy.HashFunction.MURMUR_HASH_2;
      case UNRECOGNIZED -> throw XdsValidationException.of(
          "hash_function must be XX_HASH or MURMUR_HASH_2, was " + cfg.getHashFunctionValue());
    };
  }

  private static Choice typed(LoadBalancingPolicy policy, int depth) throws XdsValidationException {
    Validation.check(depth < MAX_NESTING, "", "policies nested more than " + MAX_NESTING + " levels deep");
    List<String> unsupported = new ArrayList<>();
    for (int i = 0; i < policy.getPoliciesCount(); i++) {
      Any config = policy.getPolicies(i).getTypedExtensionConfig().getTypedConfig();
      Optional<Choice> choice = Validation.at(
          Validation.indexed("policies", i) + ".typed_extension_config.typed_config", () -> typedOne(config, depth));
      if (choice.isPresent()) {
        return choice.get();
      }
      unsupported.add(config.getTypeUrl());
    }
    throw XdsValidationException.of("no supported load balancing policy, was " + unsupported);
  }

  private static Optional<Choice> typedOne(Any config, int depth) throws XdsValidationException {
    String type = config.getTypeUrl();
    if (type.equals(typeUrl(RoundRobin.getDescriptor().getFullName()))) {
      RoundRobin rr = unpack(config, RoundRobin.class);
      return Optional.of(new Choice(new LbPolicy.RoundRobin(), weighted(rr.getLocalityLbConfig())));
    }
    if (type.equals(typeUrl(LeastRequest.getDescriptor().getFullName()))) {
      LeastRequest lr = unpack(config, LeastRequest.class);
      return Optional.of(new Choice(leastRequest(lr.hasChoiceCount(), lr.getChoiceCount().getValue(),
          lr.hasActiveRequestBias(), lr.getActiveRequestBias().getDefaultValue()), weighted(lr.getLocalityLbConfig())));
    }
    if (type.equals(typeUrl(RingHash.getDescriptor().getFullName()))) {
      RingHash rh = unpack(config, RingHash.class);
      LbPolicy.HashFunction hash = switch (rh.getHashFunction()) {
        case DEFAULT_HASH, XX_HASH -> LbPolicy.HashFunction.XX_HASH;
        case MURMUR_HASH_2 -> LbPolicy.HashFunction.MURMUR_HASH_2;
        case UNRECOGNIZED -> throw XdsValidationException.of(
            "hash_function must be DEFAULT_HASH, XX_HASH or MURMUR_HASH_2, was " + rh.getHashFunctionValue());
      };
      return Optional.of(new Choice(ringHash(rh.hasMinimumRingSize(), rh.getMinimumRingSize().getValue(),
          rh.hasMaximumRingSize(), rh.getMaximumRingSize().getValue(), hash, true),
          rh.hasLocalityWeightedLbConfig()));
    }
    if (type.equals(typeUrl(Maglev.getDescriptor().getFullName()))) {
      Maglev m = unpack(config, Maglev.class);
      return Optional.of(new Choice(maglev(m.hasTableSize(), m.getTableSize().getValue()),
          m.hasLocalityWeightedLbConfig()));
    }
    if (type.equals(typeUrl(Random.getDescriptor().getFullName()))) {
      Random r = unpack(config, Random.class);
      return Optional.of(new Choice(new LbPolicy.Random(), weighted(r.getLocalityLbConfig())));
    }
    if (type.equals(typeUrl(ClusterProvided.getDescriptor().getFullName()))) {
      return Optional.of(new Choice(new LbPolicy.ClusterProvided(), false));
    }
    if (type.equals(typeUrl(WrrLocality.getDescriptor().getFullName()))) {
      WrrLocality wrr = unpack(config, WrrLocality.class);
      Validation.check(wrr.hasEndpointPickingPolicy(), "endpoint_picking_policy", "must be set");
      Choice child = Validation.at("endpoint_picking_policy", () -> typed(wrr.getEndpointPickingPolicy(), depth + 1));
      // Weighted round robin across localities, the child policy within each.
      return Optional.of(new Choice(child.policy(), true));
    }
    return Optional.empty();
  }

  private static boolean weighted(LocalityLbConfig config) {
    return config.hasLocalityWeightedLbConfig();
  }

  static LbPolicy.LeastRequest leastRequest(boolean hasChoiceCount, int choiceCount, boolean hasBias, double bias)
      throws XdsValidationException {
    long choices = hasChoiceCount ? Integer.toUnsignedLong(choiceCount) : LbPolicy.LeastRequest.DEFAULT_CHOICE_COUNT;
    Validation.check(choices >= 2, "", "choice_count must be >= 2, was " + choices);
    Validation.check(choices <= Integer.MAX_VALUE, "", "choice_count must be <= 2147483647, was " + choices);
    double activeRequestBias = hasBias ? bias : LbPolicy.LeastRequest.DEFAULT_ACTIVE_REQUEST_BIAS;
    Validation.check(activeRequestBias >= 0 && !Double.isInfinite(activeRequestBias), "",
        "active_request_bias must be a finite number >= 0, was " + activeRequestBias);
    return new LbPolicy.LeastRequest((int) choices, activeRequestBias);
  }

  static LbPolicy.RingHash ringHash(boolean hasMin, long min, boolean hasMax, long max, LbPolicy.HashFunction hash,
      boolean minAtLeastOne) throws XdsValidationException {
    long minSize = hasMin ? min : LbPolicy.RingHash.DEFAULT_MIN_RING_SIZE;
    long maxSize = hasMax ? max : LbPolicy.RingHash.MAX_RING_SIZE;
    Validation.check(Long.compareUnsigned(minSize, LbPolicy.RingHash.MAX_RING_SIZE) <= 0, "",
        "minimum_ring_size must be <= " + LbPolicy.RingHash.MAX_RING_SIZE + ", was " + Long.toUnsignedString(minSize));
    Validation.check(!minAtLeastOne || minSize >= 1, "", "minimum_ring_size must be >= 1, was " + minSize);
    Validation.check(Long.compareUnsigned(maxSize, LbPolicy.RingHash.MAX_RING_SIZE) <= 0, "",
        "maximum_ring_size must be <= " + LbPolicy.RingHash.MAX_RING_SIZE + ", was " + Long.toUnsignedString(maxSize));
    Validation.check(minSize <= maxSize, "",
        "minimum_ring_size must be <= maximum_ring_size, was " + minSize + " > " + maxSize);
    return new LbPolicy.RingHash(minSize, maxSize, hash);
  }

  static LbPolicy.Maglev maglev(boolean hasTableSize, long tableSize) throws XdsValidationException {
    long size = hasTableSize ? tableSize : LbPolicy.Maglev.DEFAULT_TABLE_SIZE;
    Validation.check(Long.compareUnsigned(size, LbPolicy.Maglev.MAX_TABLE_SIZE) <= 0, "",
        "table_size must be <= " + LbPolicy.Maglev.MAX_TABLE_SIZE + ", was " + Long.toUnsignedString(size));
    Validation.check(LbPolicy.Maglev.isPrime(size), "", "table_size must be prime, was " + size);
    return new LbPolicy.Maglev(size);
  }

  private static String typeUrl(String fullName) {
    return "type.googleapis.com/" + fullName;
  }

  private static <T extends Message> T unpack(Any any, Class<T> type) throws XdsValidationException {
    try {
      return any.unpack(type);
    } catch (InvalidProtocolBufferException e) {
      throw XdsValidationException.of("cannot decode " + type.getSimpleName() + ": " + e.getMessage());
    }
  }
}
