package io.spidernet.spiderpool.testsupport.kube;

import io.fabric8.kubernetes.client.Config;
import java.io.IOException;
import java.net.URI;
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
 *
 * <p>{@link #withNodes(int)} is a second one ({@code .cluster-nodes-test/}, base 16940) with two real
 * kubelet nodes ({@code scripts/node.sh}): its API server listens on the nodes' bridge and pods get
 * service account tokens, which the first one's tests do without. It is always started anew and
 * stopped, nodes and all, at JVM exit. {@code scripts/bench-node} gives it another directory and port
 * base (system properties {@code spiderpool.nodes.cluster.dir}, {@code spiderpool.nodes.port.base}) and, for
 * its baseline, the nodes' IPAM ({@code spiderpool.nodes.ipam=host-local}).
 */
public final class LocalCluster {
  private static LocalCluster instance;
  private static LocalCluster withNodes;

  private final Path root;
  private final Path dir;
  private final String portBase;
  private final boolean nodes;

  private LocalCluster(Path root, Path dir, String portBase, boolean nodes) {
    this.root = root;
    this.dir = dir;
    this.portBase = portBase;
    this.nodes = nodes;
  }

  /** The cluster, up; the first call in a JVM starts it when it is not already running. */
  public static synchronized LocalCluster get() {
    if (instance == null) {
      Path root = repositoryRoot();
      LocalCluster cluster = new LocalCluster(root,
          Path.of(setting("SPJ_CLUSTER_DIR", root.resolve(".cluster-test").toString())),
          setting("SPJ_CLUSTER_PORT_BASE", "16540"), false);
      if (cluster.script("cluster.sh", List.of("status"), true) != 0) {
        if (cluster.script("cluster.sh", List.of("up"), false) != 0) {
          throw new IllegalStateException("scripts/cluster.sh up failed; see " + cluster.dir + "/*.log");
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> cluster.script("cluster.sh", List.of("down"), true)));
      }
      instance = cluster;
    }
    return instance;
  }

  /**
   * The cluster with real nodes, up with {@code nodeCount} nodes ({@code controller-node-1},
   * {@code worker-node-1}, ...), the first call in a JVM starting it anew. Needs root.
   */
  public static synchronized LocalCluster withNodes(int nodeCount) {
    if (withNodes == null) {
      Path root = repositoryRoot();
      LocalCluster cluster = new LocalCluster(root,
          root.resolve(System.getProperty("spiderpool.nodes.cluster.dir", ".cluster-nodes-test")),
          System.getProperty("spiderpool.nodes.port.base", "16940"), true);
      cluster.script("cluster.sh", List.of("down", "--purge"), true);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> cluster.script("cluster.sh", List.of("down", "--purge"), true)));
      if (cluster.script("cluster.sh", List.of("up"), false) != 0
          || cluster.script("node.sh", List.of("up", "--nodes", Integer.toString(nodeCount)), false) != 0) {
        throw new IllegalStateException("the cluster with nodes did not come up; see " + cluster.dir + "/*.log and "
            + cluster.dir + "/nodes/*/logs");
      }
      withNodes = cluster;
    }
    return withNodes;
  }

  /** {@code scripts/node.sh} with {@code args} on this cluster's nodes (import, status); true when it succeeds. */
  public boolean nodes(String... args) {
    return script("node.sh", List.of(args), false) == 0;
  }

  /** The directory of this cluster's state (certificates, logs, nodes). */
  public Path dir() {
    return dir;
  }

  /** Where pods on the nodes reach the API server: the kubeconfig's server, as host and port. */
  public URI apiServer() {
    try {
      return URI.create(Config.fromKubeconfig(Files.readString(kubeconfig())).getMasterUrl());
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + kubeconfig() + ": " + e.getMessage(), e);
    }
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

  private int script(String name, List<String> args, boolean quiet) {
    List<String> command = new ArrayList<>();
    command.add(root.resolve("scripts/" + name).toString());
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
    if (quiet) {
      pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    }
    pb.environment().putAll(Map.of("SPJ_CLUSTER_DIR", dir.toString(), "SPJ_CLUSTER_PORT_BASE", portBase,
        "SPJ_CLUSTER_NODES", nodes ? "1" : "0", "SPJ_NODE_IPAM", System.getProperty("spiderpool.nodes.ipam", "spiderpool")));
    try {
      Process p = pb.start();
      if (!p.waitFor(10, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException("scripts/" + name + " " + args + " did not finish in 10 minutes");
      }
      return p.exitValue();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run scripts/" + name + ": " + e.getMessage(), e);
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
