package dev.inboard.mesh.agent.cli;

import picocli.CommandLine.Option;

/** How a client command reaches a running {@code meshctl serve}. */
final class ServerOptions {
  @Option(names = "--server", paramLabel = "HOST:PORT", defaultValue = ServerAddress.DEFAULT,
      converter = ServerAddress.Converter.class,
      description = "Control API of a running `meshctl serve` (default: ${DEFAULT-VALUE}).")
  ServerAddress server = new ServerAddress("127.0.0.1", 15014);

  ApiClient client() {
    return new ApiClient(server);
  }
}
