package io.spidernet.spiderpool.testsupport.kube;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The chart's agents on the real nodes of {@link LocalCluster#withNodes(int)}, seen from the host:
 * the agent JVM of a node (hostNetwork, so in the node's network namespace), its resident memory,
 * its metrics on the node's address. Blocking.
 */
public final class NodeAgents {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private NodeAgents() {}

  /** The process id of the agent's JVM on {@code node}; fails unless exactly one runs there. */
  public static long pid(LocalCluster cluster, String node) throws IOException {
    String nodePid = Files.readString(cluster.dir().resolve("nodes/" + node + "/node.pid")).strip();
    Path nodeNet = Files.readSymbolicLink(Path.of("/proc/" + nodePid + "/ns/net"));
    Process pgrep = new ProcessBuilder("pgrep", "-f", "io.spidernet.spiderpool.agent.AgentMain").start();
    List<Long> found = new ArrayList<>();
    for (String pid : new String(pgrep.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip().split("\\s+")) {
      Path net = Path.of("/proc/" + pid + "/ns/net");
      try {
        if (!pid.isEmpty() && Files.readSymbolicLink(net).equals(nodeNet)) {
          found.add(Long.parseLong(pid));
        }
      } catch (IOException gone) {
        // exited between pgrep and here
      }
    }
    if (found.size() != 1) {
      throw new IllegalStateException("expected one agent JVM on " + node + ", found " + found);
    }
    return found.get(0);
  }

  /** {@code field} (VmRSS now, VmHWM at its peak) of a process, in MiB. */
  public static double memoryMiB(long pid, String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
      }
    }
    throw new IllegalStateException("no " + field + " for process " + pid);
  }

  /** The Prometheus text the agent on {@code node} serves (the chart's spiderpoolAgent.prometheus.enabled). */
  public static String metrics(KubernetesClient client, String node) throws IOException, InterruptedException {
    Node n = client.nodes().withName(node).get();
    String ip = n.getStatus().getAddresses().stream().filter(a -> a.getType().equals("InternalIP")).findFirst().orElseThrow()
        .getAddress();
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + ip + ":5711/metrics")).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  /** The value of the first sample named {@code name} (with or without labels), 0 when absent. */
  public static double sample(String metrics, String name) {
    return metrics.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{")).findFirst()
        .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).orElse(0.0);
  }
}
