package dev.inboard.bookinfo.common;

import dev.inboard.mesh.bootstrap.BootstrapEnvironment;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The environment the mesh reads its node from: the process's, with {@code POD_NAME} set to
 * {@code bookinfo.pod-name} when the process has none, so that several Bookinfo workloads started on one machine
 * join the mesh as distinct pods ({@code reviews-v1}, {@code reviews-v2}, ...).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(BootstrapEnvironment.class)
public class PodEnvironment {
  @Bean
  BootstrapEnvironment bookinfoBootstrapEnvironment(Environment spring) {
    BootstrapEnvironment system = BootstrapEnvironment.system();
    String podName = spring.getProperty("bookinfo.pod-name");
    if (podName == null || system.variable("POD_NAME").isPresent()) {
      return system;
    }
    Map<String, String> variables = new HashMap<>(system.variables());
    variables.put("POD_NAME", podName);
    return new BootstrapEnvironment(variables, system.systemProperties(), system.podLabels());
  }
}
