package dev.inboard.mesh.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports a {@link MeshConfigurationException} as the reason start-up failed, with its fix. */
class MeshConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<MeshConfigurationException> {
  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, MeshConfigurationException cause) {
    return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
  }
}
