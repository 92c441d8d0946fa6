package dev.inboard.mesh.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every record default must be usable whichever class the JVM initialises first. Each case loads the config
 * classes afresh in an isolated class loader and touches one nested type before its enclosing one.
 */
class ConfigDefaultsInitTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "dev.inboard.mesh.config.CircuitBreakers$Thresholds",
      "dev.inboard.mesh.config.CircuitBreakers$RetryBudget",
      "dev.inboard.mesh.config.CircuitBreakers",
      "dev.inboard.mesh.config.ClusterConfig$CommonLbConfig",
      "dev.inboard.mesh.config.ClusterConfig$DnsSettings",
      "dev.inboard.mesh.config.LbPolicy$Maglev",
      "dev.inboard.mesh.config.LbPolicy$RingHash",
      "dev.inboard.mesh.config.OutlierDetection",
      "dev.inboard.mesh.config.UpstreamHttpOptions"})
  void defaults_initialiseInAnyOrder(String firstClass) throws Exception {
    URL classes = CircuitBreakers.class.getProtectionDomain().getCodeSource().getLocation();
    try (URLClassLoader isolated = new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader())) {
      Class<?> first = Class.forName(firstClass, true, isolated);
      Class<?> breakers = Class.forName("dev.inboard.mesh.config.CircuitBreakers", true, isolated);

      assertThat(first.getField("DEFAULT").get(null)).isNotNull();
      assertThat(breakers.getField("DEFAULT").get(null)).isNotNull();
    }
  }
}
