package io.spidernet.spiderpool.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code spiderpool-agent install-plugins DIR}: the agent image's CNI plugins into the node's CNI
 * binary directory, the chart's init container's job. Each is written under a temporary name in
 * {@code DIR} and renamed over the old one, so kubelet never executes a half-written binary and a
 * running plugin keeps its old file. Blocking; run before anything else.
 */
public final class PluginInstaller {
  /** Where the agent image keeps the plugins ({@code SPIDERPOOL_CNI_PLUGINS_DIR} overrides it). */
  public static final String IMAGE_PLUGINS = "/usr/lib/spiderpool/cni";

  private PluginInstaller() {}

  /** Installs every regular file of {@code from} into {@code to}; returns the names installed. */
  public static List<String> install(Path from, Path to) throws IOException {
    if (!Files.isDirectory(from)) {
      throw new IOException("no plugin directory " + from + " in this image");
    }
    Files.createDirectories(to);
    List<String> installed = new ArrayList<>();
    try (Stream<Path> plugins = Files.list(from)) {
      for (Path plugin : plugins.filter(Files::isRegularFile).sorted().toList()) {
        String name = plugin.getFileName().toString();
        Path temporary = to.resolve("." + name + ".spiderpool-tmp");
        Files.copy(plugin, temporary, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.move(temporary, to.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        installed.add(name);
      }
    }
    if (installed.isEmpty()) {
      throw new IOException("no plugin in " + from);
    }
    return installed;
  }

  static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: spiderpool-agent install-plugins DIR");
      System.exit(2);
    }
    String from = System.getenv().getOrDefault("SPIDERPOOL_CNI_PLUGINS_DIR", IMAGE_PLUGINS);
    try {
      System.out.println("installed " + install(Path.of(from), Path.of(args[0])) + " into " + args[0]);
    } catch (IOException e) {
      System.err.println("spiderpool-agent install-plugins: cannot install from " + from + " into " + args[0] + ": " + e);
      System.exit(1);
    }
  }
}
