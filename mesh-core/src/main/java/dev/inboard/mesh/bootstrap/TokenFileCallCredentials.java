package dev.inboard.mesh.bootstrap;

import io.grpc.CallCredentials;
import io.grpc.Metadata;
import io.grpc.SecurityLevel;
import io.grpc.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executor;

/**
 * Sends {@code authorization: Bearer <token>} with every call, reading the token from a file each time so a rotated
 * projected service account token is picked up. The token is never logged nor put in an error; only over a
 * connection with privacy and integrity (TLS).
 */
final class TokenFileCallCredentials extends CallCredentials {
  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final Path tokenFile;

  TokenFileCallCredentials(Path tokenFile) {
    this.tokenFile = tokenFile;
  }

  @Override
  public void applyRequestMetadata(RequestInfo requestInfo, Executor appExecutor, MetadataApplier applier) {
    if (requestInfo.getSecurityLevel() != SecurityLevel.PRIVACY_AND_INTEGRITY) {
      applier.fail(
          Status.UNAUTHENTICATED.withDescription(
              "refusing to send the bearer token from " + tokenFile + " over a connection without TLS"));
      return;
    }
    appExecutor.execute(() -> apply(applier));
  }

  private void apply(MetadataApplier applier) {
    String token;
    try {
      token = Files.readString(tokenFile, StandardCharsets.UTF_8).trim();
    } catch (IOException | RuntimeException e) {
      applier.fail(
          Status.UNAUTHENTICATED
              .withDescription("cannot read the bearer token file " + tokenFile + ": " + e.getClass().getSimpleName())
              .withCause(e));
      return;
    }
    if (token.isEmpty()) {
      applier.fail(Status.UNAUTHENTICATED.withDescription("the bearer token file " + tokenFile + " is empty"));
      return;
    }
    Metadata headers = new Metadata();
    headers.put(AUTHORIZATION, "Bearer " + token);
    applier.apply(headers);
  }

  @Override
  public String toString() {
    return "TokenFileCallCredentials{" + tokenFile + "}";
  }
}
