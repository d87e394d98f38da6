package io.spidernet.spiderpool.common.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The {@code conf.yml} key of the {@code spiderpool-conf} ConfigMap, which agent and controller
 * share (spec 4.4), and the {@code --config-path} flag that locates it. Each process reads the keys
 * it uses into its own shape; unknown keys are ignored, absent keys keep the shape's defaults.
 */
public final class ConfFile {
  public static final String DEFAULT_PATH = "/tmp/spiderpool/config-map/conf.yml";

  private ConfFile() {}

  /** The path given by {@code --config-path PATH} (or {@code --config-path=PATH}); exits with 2 on another argument. */
  public static Path pathFromArgs(String process, String[] args) {
    Path path = Path.of(DEFAULT_PATH);
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config-path") && i + 1 < args.length) {
        path = Path.of(args[++i]);
      } else if (args[i].startsWith("--config-path=")) {
        path = Path.of(args[i].substring("--config-path=".length()));
      } else {
        System.err.println(process + ": unknown argument " + args[i] + " (only --config-path PATH)");
        System.exit(2);
      }
    }
    return path;
  }

  /** Reads {@code path} as {@code shape}; null when the file does not exist (the caller logs it and uses defaults). */
  public static <T> T read(Path path, Class<T> shape) {
    if (!Files.exists(path)) {
      return null;
    }
    try {
      return new YAMLMapper().rebuild().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build()
          .readValue(Files.readString(path), shape);
    } catch (IOException | JacksonException e) {
      throw new IllegalArgumentException("cannot read the configuration " + path + ": " + e.getMessage(), e);
    }
  }
}
