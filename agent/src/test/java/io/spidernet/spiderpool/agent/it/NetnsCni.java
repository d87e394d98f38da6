package io.spidernet.spiderpool.agent.it;

import io.fabric8.kubernetes.api.model.Pod;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Plays the container runtime for CNI tests: network namespaces (a "node" one with a veth master
 * link, never the machine's NIC, and pod ones), and plugin runs with the CNI_* environment and
 * the configuration on stdin, as kubelet/Multus do. Needs root and iproute2. Deletes what it made.
 */
public final class NetnsCni implements AutoCloseable {
  public static final String MACVLAN = "/usr/lib/cni/macvlan";

  private final String nodeNs;
  private final Path binDir;
  private final List<String> namespaces = new ArrayList<>();

  /** Output and exit status of one plugin run. */
  public record Run(int exit, String stdout) {}

  private NetnsCni(String nodeNs, Path binDir) {
    this.nodeNs = nodeNs;
    this.binDir = binDir;
  }

  /** A node namespace with {@code master0} up, and a CNI bin directory with macvlan and our plugin. */
  public static NetnsCni create(String nodeNs) throws Exception {
    Path bin = Files.createTempDirectory("cni-bin");
    Files.createSymbolicLink(bin.resolve("macvlan"), Path.of(MACVLAN));
    Files.createSymbolicLink(bin.resolve("spiderpool"),
        Path.of(System.getProperty("spiderpool.root.dir", "..")).resolve("cni/bin/spiderpool").toAbsolutePath());
    NetnsCni cni = new NetnsCni(nodeNs, bin);
    cni.netns(nodeNs);
    sh("ip", "-n", nodeNs, "link", "add", "master0", "type", "veth", "peer", "name", "master0-peer");
    sh("ip", "-n", nodeNs, "link", "set", "master0", "up");
    sh("ip", "-n", nodeNs, "link", "set", "master0-peer", "up");
    return cni;
  }

  public Path binDir() {
    return binDir;
  }

  public void netns(String name) throws Exception {
    sh("ip", "netns", "add", name);
    namespaces.add(name);
    sh("ip", "-n", name, "link", "set", "lo", "up");
  }

  public static String sh(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + out.strip());
    }
    return out;
  }

  /** The macvlan configuration with IPAM by our plugin on {@code socket}, as a SpiderMultusConfig renders it. */
  public static String macvlanConf(String cniVersion, String pool, Path socket, String prevResult) {
    return "{\"cniVersion\":\"" + cniVersion + "\",\"name\":\"macvlan-conf\",\"type\":\"macvlan\",\"master\":\"master0\","
        + "\"mode\":\"bridge\",\"ipam\":{\"type\":\"spiderpool\",\"default_ipv4_ippool\":[\"" + pool + "\"],"
        + "\"ipam_unix_socket_path\":\"" + socket + "\"}" + (prevResult == null ? "" : ",\"prevResult\":" + prevResult) + "}";
  }

  /** Runs {@code plugin} in the node namespace for {@code pod}'s {@code eth0} in {@code podNs}. */
  public Run run(String plugin, String command, Pod pod, String podNs, String conf) throws Exception {
    return exec(List.of("ip", "netns", "exec", nodeNs, binDir.resolve(plugin).toString()), plugin, command, pod, podNs, conf);
  }

  /**
   * As {@link #run}, but executes the plugin in this process's network namespace, as kubelet does on
   * a real node; for plugins that need no node interface (an IPAM plugin on its own).
   */
  public Run runOnHost(String plugin, String command, Pod pod, String podNs, String conf) throws Exception {
    return exec(List.of(binDir.resolve(plugin).toString()), plugin, command, pod, podNs, conf);
  }

  private Run exec(List<String> argv, String plugin, String command, Pod pod, String podNs, String conf) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(argv);
    pb.environment().clear();
    pb.environment().putAll(Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", "CNI_COMMAND", command,
        "CNI_CONTAINERID", "sandbox-" + pod.getMetadata().getUid(), "CNI_NETNS", "/var/run/netns/" + podNs,
        "CNI_IFNAME", "eth0", "CNI_PATH", binDir.toString(),
        "CNI_ARGS", "IgnoreUnknown=1;K8S_POD_NAMESPACE=" + pod.getMetadata().getNamespace() + ";K8S_POD_NAME="
            + pod.getMetadata().getName() + ";K8S_POD_UID=" + pod.getMetadata().getUid()));
    Process p = pb.start();
    p.getOutputStream().write(conf.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(plugin + " " + command + " did not finish in 120 s");
    }
    return new Run(p.exitValue(), out);
  }

  @Override
  public void close() throws Exception {
    for (String n : namespaces) {
      new ProcessBuilder("ip", "netns", "delete", n).start().waitFor();
    }
  }
}
