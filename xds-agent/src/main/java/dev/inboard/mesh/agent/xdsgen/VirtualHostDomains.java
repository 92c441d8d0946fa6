package dev.inboard.mesh.agent.xdsgen;

import dev.inboard.mesh.agent.registry.MeshService;
import dev.inboard.mesh.bootstrap.ConfigShape;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code domains} of a service's outbound virtual host, as istiod lists them for a proxy: the FQDN, the absolute
 * FQDN (with a trailing dot), then the shorter names the proxy's DNS search path resolves ({@code name}, {@code name.ns.svc}, {@code name.ns} in the
 * same namespace; {@code name.ns}, {@code name.ns.svc} from another; none for hosts outside the cluster domain),
 * wildcard forms for headless Kubernetes services, then the VIPs. Sidecars match hosts with the port ignored
 * ({@code ignore_port_in_host_matching}), so only proxyless gRPC nodes also get each name with {@code :port}.
 *
 * @param domains the domains in istiod's order
 * @param altHosts the other spellings of the FQDN among them (absolute name, names expanded from the DNS search path)
 */
public record VirtualHostDomains(List<String> domains, List<String> altHosts) {
  public VirtualHostDomains {
    domains = List.copyOf(domains);
    altHosts = List.copyOf(altHosts);
  }

  /** The domains of {@code service} on {@code port} seen from {@code proxy}. */
  public static VirtualHostDomains of(MeshService service, int port, ProxyView proxy, MeshSettings mesh) {
    boolean withPort = appendsPort(proxy);
    List<String> domains = new ArrayList<>();
    add(domains, service.hostname(), port, withPort);
    List<String> alt = altHosts(service.hostname(), port, withPort, proxyDnsDomain(proxy, mesh));
    domains.addAll(alt);
    if (service.resolution() == MeshService.Resolution.NONE && isKubernetes(service)) {
      int count = domains.size();
      for (int i = 0; i < count; i++) {
        domains.add("*." + domains.get(i));
      }
    }
    for (String address : service.addresses()) {
      if (!address.isEmpty() && !address.equals("0.0.0.0")) {
        add(domains, address, port, withPort);
      }
    }
    return new VirtualHostDomains(domains, alt);
  }

  /** The domains of a VirtualService host that is not a registry service. */
  public static List<String> ofHost(String host, int port, ProxyView proxy) {
    List<String> domains = new ArrayList<>();
    add(domains, host, port, appendsPort(proxy));
    return domains;
  }

  /** Sidecars ignore the port when matching hosts; proxyless gRPC clients match {@code host:port} as well. */
  static boolean appendsPort(ProxyView proxy) {
    return proxy.shape() == ConfigShape.GRPC;
  }

  /** The proxy's DNS domain: {@code <namespace>.svc.<domain suffix>}. */
  static String proxyDnsDomain(ProxyView proxy, MeshSettings mesh) {
    return proxy.namespace() + ".svc." + mesh.domainSuffix();
  }

  private static boolean isKubernetes(MeshService service) {
    return service.origin().startsWith("Service ");
  }

  private static void add(List<String> domains, String host, int port, boolean withPort) {
    domains.add(IstioHosts.ipv6Compliant(host));
    if (withPort) {
      domains.add(IstioHosts.hostPort(host, port));
    }
  }

  /**
   * Other spellings of {@code hostname}: the absolute name (trailing dot), then, for a Kubernetes-style FQDN in the
   * cluster domain of a proxy in {@code proxyDomain}, the short names its DNS search path resolves.
   */
  private static List<String> altHosts(String hostname, int port, boolean withPort, String proxyDomain) {
    List<String> out = new ArrayList<>();
    if (!IstioHosts.isIpAddress(hostname)) {
      out.add(hostname + ".");
    }
    if (withPort) {
      out.add(IstioHosts.hostPort(hostname + ".", port));
    }
    int proxySvc = proxyDomain.indexOf(".svc.");
    if (proxySvc < 0 || !hostname.endsWith(proxyDomain.substring(proxySvc))) {
      return out;
    }
    int svc = hostname.indexOf(".svc.");
    int firstDot = hostname.indexOf('.');
    if (svc <= 0 || firstDot + 1 >= hostname.length() || firstDot + 1 > svc) {
      return out;
    }
    String name = hostname.substring(0, firstDot);
    String nameNs = hostname.substring(0, svc);
    if (hostname.substring(firstDot + 1, svc).equals(proxyDomain.substring(0, proxySvc))) {
      add(out, name, port, withPort);
      add(out, nameNs + ".svc", port, withPort);
      add(out, nameNs, port, withPort);
    } else {
      add(out, nameNs, port, withPort);
      add(out, nameNs + ".svc", port, withPort);
    }
    return out;
  }
}
