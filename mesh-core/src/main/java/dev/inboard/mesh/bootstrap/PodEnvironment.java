package dev.inboard.mesh.bootstrap;

import com.google.common.net.InetAddresses;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Reads a pod's environment into a {@link NodeIdentity.Builder} following pilot-agent's rules. */
final class PodEnvironment {
  private PodEnvironment() {}

  static final String META_PREFIX = "ISTIO_META_";
  static final String META_JSON_PREFIX = "ISTIO_METAJSON_";
  static final String POD_NAME = "POD_NAME";
  static final String POD_NAMESPACE = "POD_NAMESPACE";
  static final String INSTANCE_IP = "INSTANCE_IP";
  static final String SERVICE_ACCOUNT = "SERVICE_ACCOUNT";
  static final String TRUST_DOMAIN = "TRUST_DOMAIN";
  static final String METAJSON_LABELS = META_JSON_PREFIX + "LABELS";

  private static final ObjectMapper JSON = new ObjectMapper();

  static void apply(BootstrapEnvironment env, NodeIdentity.Builder builder) {
    Map<String, Object> metadata = builder.rawMetadata();
    Map<String, String> variables = new TreeMap<>(env.variables());

    // 1. ISTIO_META_<KEY>=value, passed through as strings.
    variables.forEach(
        (name, value) -> {
          if (name.startsWith(META_PREFIX) && name.length() > META_PREFIX.length()) {
            metadata.put(name.substring(META_PREFIX.length()), value);
          }
        });
    if (metadata.get(IstioMetadata.LABELS) instanceof String) {
      throw new BootstrapException(
          "ISTIO_META_LABELS is set; labels are a map: set ISTIO_METAJSON_LABELS to a JSON object such as "
              + "{\"app\":\"reviews\",\"version\":\"v1\"} instead");
    }

    // 2. ISTIO_METAJSON_<ANY>={json object}, merged into the top level.
    variables.forEach(
        (name, value) -> {
          if (name.startsWith(META_JSON_PREFIX) && !value.isBlank()) {
            metadata.putAll(jsonObject(name, value));
          }
        });
    if (metadata.remove(IstioMetadata.LABELS) instanceof Map<?, ?> merged) {
      merged.forEach((key, label) -> builder.rawLabels().put((String) key, String.valueOf(label)));
    }

    // 3. The pod facts from the downward API.
    env.variable(INSTANCE_IP)
        .ifPresent(
            ip -> {
              if (!InetAddresses.isInetAddress(ip.trim())) {
                throw new BootstrapException(
                    INSTANCE_IP + " \"" + ip + "\" is not an IP address; set it from the downward API "
                        + "(valueFrom.fieldRef.fieldPath: status.podIP)");
              }
              metadata.put(IstioMetadata.INSTANCE_IPS, ip.trim());
            });
    env.variable(POD_NAME).ifPresent(name -> metadata.put(IstioMetadata.NAME, name));
    env.variable(POD_NAMESPACE).ifPresent(ns -> metadata.put(IstioMetadata.NAMESPACE, ns));
    env.variable(SERVICE_ACCOUNT).ifPresent(sa -> metadata.put(IstioMetadata.SERVICE_ACCOUNT, sa));
    if (!metadata.containsKey(IstioMetadata.MESH_ID)) {
      env.variable(TRUST_DOMAIN).ifPresent(td -> metadata.put(IstioMetadata.MESH_ID, td));
    }

    // 4. Labels: ISTIO_METAJSON_LABELS (also kept as STATIC_LABELS), overlaid by the labels file.
    env.variable(METAJSON_LABELS)
        .ifPresent(
            json -> {
              Map<String, String> labels = stringMap(METAJSON_LABELS, jsonObject(METAJSON_LABELS, json));
              if (!labels.isEmpty()) {
                builder.rawLabels().clear();
                builder.rawLabels().putAll(labels);
                metadata.put(IstioMetadata.STATIC_LABELS, labels);
              }
            });
    env.podLabels()
        .ifPresent(
            content -> {
              Map<String, String> fromFile =
                  DownwardApiLabels.parse(content, "pod labels file " + BootstrapEnvironment.POD_LABELS_FILE);
              fromFile.remove(IstioMetadata.POD_TEMPLATE_HASH_LABEL);
              builder.rawLabels().putAll(fromFile);
            });

    XdsSetting.DNS_DOMAIN.read(env).ifPresent(domain -> builder.dnsDomain(domain.value()));
  }

  /**
   * Checks that the variables istiod needs for a pod's identity are there.
   *
   * @throws BootstrapException naming the first missing variable and where it comes from
   */
  static void requireKubernetesIdentity(BootstrapEnvironment env) {
    require(env, POD_NAME, "metadata.name", "the pod name");
    require(env, POD_NAMESPACE, "metadata.namespace", "the pod's namespace");
    require(env, INSTANCE_IP, "status.podIP", "the pod IP");
  }

  private static void require(BootstrapEnvironment env, String variable, String fieldPath, String what) {
    if (env.variable(variable).isEmpty()) {
      throw new BootstrapException(
          variable + " is not set; istiod needs " + what + " in the node id: set it from the downward API "
              + "(valueFrom.fieldRef.fieldPath: " + fieldPath + "), or use " + XdsSetting.MODE.variable() + "="
              + XdsMode.LOCAL.settingValue() + " outside Kubernetes");
    }
  }

  private static Map<String, Object> jsonObject(String variable, String value) {
    JsonNode node;
    try {
      node = JSON.readTree(value);
    } catch (JsonProcessingException e) {
      throw new BootstrapException(
          variable + " is not valid JSON (" + e.getOriginalMessage() + "); set it to a JSON object such as "
              + "{\"key\":\"value\"} or unset it",
          e);
    }
    if (node == null || !node.isObject()) {
      throw new BootstrapException(
          variable + " is not a JSON object; set it to a JSON object such as {\"key\":\"value\"} or unset it");
    }
    return JsonValues.objectFromJson(node);
  }

  private static Map<String, String> stringMap(String variable, Map<String, Object> object) {
    Map<String, String> strings = new LinkedHashMap<>();
    object.forEach(
        (key, value) -> {
          if (!(value instanceof String s)) {
            throw new BootstrapException(
                variable + ": label \"" + key + "\" is not a string; labels map names to strings, e.g. "
                    + "{\"app\":\"reviews\",\"version\":\"v1\"}");
          }
          strings.put(key, s);
        });
    return strings;
  }
}
