package dev.inboard.mesh.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inboard.mesh.bootstrap.BootstrapEnvironment;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;

/** What a developer reads when bad mesh properties stop start-up: the failure analysis Spring Boot prints. */
class MeshStartupFailureTest {
  final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(MeshAutoConfiguration.class))
      .withBean(BootstrapEnvironment.class, () -> BootstrapEnvironment.ofVariables(
          Map.of("INBOARD_XDS_ADDRESS", MeshAutoConfigurationTest.NOWHERE)));

  @Test
  void controlPlaneWithoutPort_namesPropertyValueAndFix() {
    FailureAnalysis analysis = analyze("mesh.control-plane=localhost");
    assertThat(analysis.getDescription()).isEqualTo("mesh.control-plane 'localhost' must be host:port, e.g. 127.0.0.1:15010");
    assertThat(analysis.getAction()).isEqualTo("Set mesh.control-plane to the control plane's host and port, e.g."
        + " mesh.control-plane=127.0.0.1:15010, or remove it to take the bootstrap from the environment"
        + " (GRPC_XDS_BOOTSTRAP, INBOARD_XDS_ADDRESS)");
  }

  @Test
  void controlPlanePortOutOfRange_isRejected() {
    assertThat(analyze("mesh.control-plane=istiod:70000").getDescription())
        .isEqualTo("mesh.control-plane 'istiod:70000' has port 70000, which must be in 1-65535");
  }

  @Test
  void negativePort_namesTheEntry() {
    FailureAnalysis analysis = analyze("mesh.ports.http=-1");
    assertThat(analysis.getDescription()).isEqualTo("mesh.ports.http '-1' must be a port number in 1-65535");
    assertThat(analysis.getAction()).isEqualTo("Set mesh.ports.http to the port the application serves, e.g."
        + " mesh.ports.http=8080");
  }

  @Test
  void badInstanceIp_isRejected() {
    assertThat(analyze("mesh.instance-ip=10.0.0").getDescription())
        .isEqualTo("mesh.instance-ip '10.0.0' must be an IP address, e.g. 10.244.0.12");
  }

  @Test
  void blankNamespace_isRejected() {
    assertThat(analyze("mesh.namespace= ").getDescription()).isEqualTo("mesh.namespace must not be blank");
  }

  @Test
  void nonPositiveWait_isRejected() {
    assertThat(analyze("mesh.wait-for-config=0s").getDescription())
        .isEqualTo("mesh.wait-for-config 'PT0S' must be positive");
  }

  @Test
  void badEnvironment_reportsTheBootstrapError() {
    FailureAnalysis analysis = analyze(new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(MeshAutoConfiguration.class))
        .withBean(BootstrapEnvironment.class, () -> BootstrapEnvironment.ofVariables(
            Map.of("INBOARD_XDS_MODE", "sidecar"))));
    assertThat(analysis.getDescription()).isEqualTo("the xDS bootstrap from the environment is invalid: "
        + "INBOARD_XDS_MODE \"sidecar\" is not a mode; set it to bootstrap-file, istiod or local");
    assertThat(analysis.getAction()).startsWith("Fix the variable or system property named above");
  }

  @Test
  void configThatNeverComes_failsAfterWaitForConfig() {
    FailureAnalysis analysis = analyze("mesh.wait-for-config=300ms");
    assertThat(analysis.getDescription()).startsWith("no complete configuration from the control plane "
        + MeshAutoConfigurationTest.NOWHERE + " within 300ms (mesh.wait-for-config=300ms); xDS connection ");
    assertThat(analysis.getAction()).isEqualTo("Check that the control plane at " + MeshAutoConfigurationTest.NOWHERE
        + " is reachable and serves this workload, raise mesh.wait-for-config, or remove it to start without"
        + " waiting for configuration");
  }

  @Test
  void unknownOutboundPolicy_springBindingErrorListsTheChoices() {
    FailureAnalysis analysis = analyze("mesh.outbound-policy=deny");
    assertThat(analysis.getDescription())
        .contains("Failed to bind properties under 'mesh.outbound-policy'")
        .contains("Property: mesh.outbound-policy")
        .contains("Value: \"deny\"");
    assertThat(analysis.getAction()).isEqualTo("Update your application's configuration. The following values are"
        + " valid:\n\n    ALLOW_ANY\n    REGISTRY_ONLY");
  }

  @Test
  void analyzer_isRegisteredInSpringFactories() {
    assertThat(analyzers()).anyMatch(MeshConfigurationFailureAnalyzer.class::isInstance);
  }

  private FailureAnalysis analyze(String property) {
    return analyze(runner.withPropertyValues(property));
  }

  /** Analyses the start-up failure with every registered analyzer, as Spring Boot does; the first answer wins. */
  private static FailureAnalysis analyze(ApplicationContextRunner runner) {
    FailureAnalysis[] result = new FailureAnalysis[1];
    runner.run(context -> {
      assertThat(context).hasFailed();
      Throwable failure = context.getStartupFailure();
      result[0] = analyzers().stream().map(a -> a.analyze(failure)).filter(Objects::nonNull).findFirst()
          .orElseThrow(() -> new AssertionError("no analyzer explains " + failure));
    });
    return result[0];
  }

  private static List<FailureAnalyzer> analyzers() {
    ArgumentResolver arguments = ArgumentResolver.of(BeanFactory.class, new DefaultListableBeanFactory())
        .and(Environment.class, new StandardEnvironment());
    // Analyzers for libraries not on this classpath cannot be created; Spring Boot skips them too.
    return SpringFactoriesLoader.forDefaultResourceLocation().load(FailureAnalyzer.class, arguments,
        SpringFactoriesLoader.FailureHandler.handleMessage((message, failure) -> { }));
  }
}
