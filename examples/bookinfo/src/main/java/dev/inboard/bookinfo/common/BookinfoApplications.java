package dev.inboard.bookinfo.common;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts a Bookinfo service as its own Spring Boot application with the defaults every service shares: it listens
 * on 9080 (Bookinfo's service port), and it joins the mesh as the workload {@code <service>-<version>} of app
 * {@code <service>}, service account {@code bookinfo-<service>}, namespace {@code default}, with its address and port
 * taken from {@code server.address} / {@code server.port}.
 */
public final class BookinfoApplications {
  private BookinfoApplications() {}

  /** The default properties of {@code service}; command-line properties override them. */
  public static Map<String, Object> defaults(String service) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("spring.application.name", service);
    p.put("spring.main.banner-mode", "off");
    p.put("server.port", "9080");
    p.put("mesh.instance-ip", "${server.address:127.0.0.1}");
    p.put("mesh.ports.http", "${server.port}");
    p.put("mesh.labels.app", service);
    p.put("mesh.labels.version", "v1");
    p.put("mesh.service-account", "bookinfo-" + service);
    p.put("mesh.namespace", "default");
    p.put("bookinfo.pod-name", service + "-${mesh.labels.version}");
    return p;
  }

  /** Runs {@code application} as {@code service} with {@code extra} defaults on top of the shared ones. */
  public static ConfigurableApplicationContext run(Class<?> application, String service, Map<String, Object> extra,
      String[] args) {
    SpringApplication app = new SpringApplication(application);
    Map<String, Object> defaults = defaults(service);
    defaults.putAll(extra);
    app.setDefaultProperties(defaults);
    return app.run(args);
  }
}
