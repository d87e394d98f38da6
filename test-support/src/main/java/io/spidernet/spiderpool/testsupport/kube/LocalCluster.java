package io.spidernet.spiderpool.testsupport.kube;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The test run's control plane, driven through {@code scripts/cluster.sh} with the test state
 * directory ({@code .cluster-test/}) and ports (base 16540), so a quickstart cluster can run beside
 * it. Started at most once per JVM; stopped at JVM exit only if this JVM started it.
 */
public final class LocalCluster {
  private static LocalCluster instance;

  private final Path root;
  private final Path dir;
  private final String portBase;

  private LocalCluster(Path root) {
    this.root = root;
    this.dir = Path.of(setting("SPJ_CLUSTER_DIR", root.resolve(".cluster-test").toString()));
    this.portBase = setting("SPJ_CLUSTER_PORT_BASE", "16540");
  }

  /** The cluster, up; the first call in a JVM starts it when it is not already running. */
  public static synchronized LocalCluster get() {
    if (instance == null) {
      LocalCluster cluster = new LocalCluster(repositoryRoot());
      if (cluster.script(List.of("status"), true) != 0) {
        if (cluster.script(List.of("up"), false) != 0) {
          throw new IllegalStateException("scripts/cluster.sh up failed; see " + cluster.dir + "/*.log");
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> cluster.script(List.of("down"), true)));
      }
      instance = cluster;
    }
    return instance;
  }

  public Path root() {
    return root;
  }

  public Path kubeconfig() {
    return dir.resolve("kubeconfig");
  }

  /** The directory holding kubectl, helm and the control-plane binaries. */
  public Path binDir() {
    String fromEnv = System.getenv("SPJ_K8S_BIN");
    if (fromEnv != null && Files.isDirectory(Path.of(fromEnv))) {
      return Path.of(fromEnv);
    }
    return Path.of(run(List.of(root.resolve("scripts/build-k8s.sh").toString())).strip());
  }

  private int script(List<String> args, boolean quiet) {
    List<String> command = new ArrayList<>();
    command.add(root.resolve("scripts/cluster.sh").toString());
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
    if (quiet) {
      pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    }
    pb.environment().putAll(Map.of("SPJ_CLUSTER_DIR", dir.toString(), "SPJ_CLUSTER_PORT_BASE", portBase));
    try {
      Process p = pb.start();
      if (!p.waitFor(10, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException("scripts/cluster.sh " + args + " did not finish in 10 minutes");
      }
      return p.exitValue();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run scripts/cluster.sh: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static String run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IllegalStateException(command + " exited with " + p.exitValue());
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String setting(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }

  private static Path repositoryRoot() {
    String configured = System.getProperty("spiderpool.root.dir");
    Path start = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
    for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isExecutable(p.resolve("scripts/cluster.sh"))) {
        return p;
      }
    }
    throw new IllegalStateException("no scripts/cluster.sh above " + start.toAbsolutePath());
  }
}
