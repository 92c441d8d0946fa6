package dev.inboard.mesh.agent.cli;

import dev.inboard.mesh.agent.server.YamlSource;
import dev.inboard.mesh.agent.server.api.ApiJson;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** The YAML named by {@code -f}: files, directories (their {@code *.yaml}/{@code *.yml}, recursively) or stdin. */
final class ManifestFiles {
  private ManifestFiles() {}

  static List<YamlSource> read(CommandSpec spec, List<Path> paths, InputStream stdin) {
    List<YamlSource> out = new ArrayList<>();
    for (Path path : paths) {
      if (path.toString().equals("-")) {
        out.add(new YamlSource("-", readStdin(stdin)));
      } else if (Files.isDirectory(path)) {
        for (Path file : yamlFiles(spec, path)) {
          out.add(new YamlSource(file.toString(), readFile(spec, file)));
        }
      } else if (Files.isRegularFile(path)) {
        out.add(new YamlSource(path.toString(), readFile(spec, path)));
      } else {
        throw new ParameterException(spec.commandLine(), "-f " + path + ": no such file or directory");
      }
    }
    return out;
  }

  /** The control API's JSON body for several files applied as one change. */
  static String requestBody(List<YamlSource> sources) {
    ObjectNode body = ApiJson.MAPPER.createObjectNode();
    ArrayNode files = body.putArray("files");
    sources.forEach(s -> files.addObject().put("source", s.source()).put("yaml", s.yaml()));
    return body.toString();
  }

  private static List<Path> yamlFiles(CommandSpec spec, Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new ParameterException(spec.commandLine(), "-f " + dir + ": cannot list: " + e.getMessage());
    }
  }

  private static String readFile(CommandSpec spec, Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new ParameterException(spec.commandLine(), "-f " + file + ": cannot read: " + e.getMessage());
    }
  }

  private static String readStdin(InputStream stdin) {
    try {
      return new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CliException("cannot read standard input: " + e.getMessage());
    }
  }
}
