package dev.inboard.mesh.agent.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code HOST:PORT} of a running {@code meshctl serve}'s control API. */
record ServerAddress(String host, int port) {
  static final String DEFAULT = "127.0.0.1:15014";

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  /** Reads {@code HOST:PORT} (IPv6 hosts in brackets). */
  static final class Converter implements ITypeConverter<ServerAddress> {
    @Override
    public ServerAddress convert(String value) {
      int colon = value.lastIndexOf(':');
      if (colon <= 0 || colon == value.length() - 1) {
        throw new TypeConversionException("expected HOST:PORT, e.g. " + DEFAULT + ", but was '" + value + "'");
      }
      String host = value.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      int port;
      try {
        port = Integer.parseInt(value.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new TypeConversionException("port must be a number in HOST:PORT, was '" + value + "'");
      }
      if (port < 1 || port > 65535) {
        throw new TypeConversionException("port must be in [1, 65535] in HOST:PORT, was '" + value + "'");
      }
      return new ServerAddress(host, port);
    }
  }
}
