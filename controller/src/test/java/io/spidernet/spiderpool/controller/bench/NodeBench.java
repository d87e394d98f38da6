package io.spidernet.spiderpool.controller.bench;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spidernet.spiderpool.api.codec.PoolIPAllocations;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.testsupport.RepoDir;
import io.spidernet.spiderpool.testsupport.kube.ClusterTools;
import io.spidernet.spiderpool.testsupport.kube.KubeCluster;
import io.spidernet.spiderpool.testsupport.kube.LocalCluster;
import io.spidernet.spiderpool.testsupport.kube.Manifests;
import io.spidernet.spiderpool.testsupport.kube.NodeAgents;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code scripts/bench-node}: the chart on two real kubelet nodes, then one Deployment of N pods
 * (default 100) on a pool per node (as the cross-zone guide), through the kubelet's CNI ADD into the chart's agents.
 * Prints the agents' start (JVM start to serving, from their log; pod creation to Ready) at install
 * and for one agent restarted alone, its idle and the agents' peak memory, the time until every pod runs, the agents' ADD latency (their allocation
 * histogram, interpolated as Prometheus' histogram_quantile does), then deletes the pods and checks
 * that no IP was recorded twice and none is left; {@code --no-aot} starts the agents without the
 * image's AOT cache (line {@code bench-node-no-aot}); {@code --host-local} is the baseline: no chart, the
 * nodes' CNI chain with the reference host-local IPAM, only {@code all_running_s}. Last line:
 * {@code bench-node pods=.. all_running_s=.. cni_add_p50_ms=.. cni_add_p99_ms=.. agent_rss_mib=..
 * agent_start_s=.. agent_pod_ready_s=.. agent_idle_rss_mib=.. duplicates=.. leaked=..}
 */
public final class NodeBench {
  private static final List<String> NODES = List.of("controller-node-1", "worker-node-1");
  private static final Pattern SERVING = Pattern.compile("serving the IPAM API on \\S+ (\\d+) ms after the JVM started");
  private static final Pattern BUCKET =
      Pattern.compile("^spiderpool_ipam_allocation_duration_seconds_bucket\\{le=\"([^\"]+)\",?\\} (\\S+)$");

  private NodeBench() {}

  public static void main(String[] args) throws Exception {
    List<String> argList = List.of(args);
    int pods = argList.contains("--pods") ? Integer.parseInt(argList.get(argList.indexOf("--pods") + 1)) : 100;
    boolean noAot = argList.contains("--no-aot");
    String label = noAot ? "bench-node-no-aot" : "bench-node";
    if (argList.contains("--host-local")) {
      System.setProperty("spiderpool.nodes.ipam", "host-local");
    }
    LocalCluster cluster = LocalCluster.withNodes(2);
    try (KubernetesClient client = KubeCluster.client(cluster)) {
      if (argList.contains("--host-local")) {
        System.out.printf("bench-node-host-local pods=%d all_running_s=%.1f%n", pods, allRunning(cluster, client, pods).seconds());
        System.exit(0);
      }
      check(cluster.nodes("import", RepoDir.resolve("agent/target/images/spiderpool-agent.tar").toString(),
          RepoDir.resolve("controller/target/images/spiderpool-controller.tar").toString()), "import the images");
      URI api = cluster.apiServer();
      List<String> install = new ArrayList<>(List.of("install", "spiderpool", RepoDir.resolve("charts/spiderpool").toString(),
          "-n", "kube-system", "--set", "global.kubernetesServiceHost=" + api.getHost(),
          "--set", "global.kubernetesServicePort=" + api.getPort(), "--set", "spiderpoolAgent.prometheus.enabled=true",
          "--wait", "--timeout", "5m"));
      if (noAot) { // the image's AOT cache left unused (scripts/image-aot.sh), for the comparison
        install.addAll(List.of("--set-json", "spiderpoolAgent.extraEnv=[{\"name\":\"JDK_JAVA_OPTIONS\",\"value\":\"-XX:AOTMode=off\"}]"));
      }
      ok(ClusterTools.exec(cluster, "helm", null, install.toArray(String[]::new)), "helm install");

      double startAtInstall = 0;
      for (Pod agent : agents(client)) {
        startAtInstall = Math.max(startAtInstall, servingSeconds(cluster, agent));
      }
      // One agent alone, as a node pays for it after a restart: the other processes are idle by now.
      Thread.sleep(15_000);
      Pod old = agents(client).stream().filter(p -> p.getSpec().getNodeName().equals("worker-node-1")).findFirst().orElseThrow();
      ok(ClusterTools.exec(cluster, "kubectl", null, "delete", "pod", "-n", "kube-system", old.getMetadata().getName(),
          "--wait=true"), "delete an agent");
      Pod alone;
      long restartDeadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      do {
        Thread.sleep(200);
        alone = agents(client).stream().filter(p -> p.getSpec().getNodeName().equals("worker-node-1") && ready(p)).findFirst()
            .orElse(null);
        check(System.nanoTime() < restartDeadline, "the restarted agent Ready within 2 minutes");
      } while (alone == null);
      double start = servingSeconds(cluster, alone);
      Instant created = Instant.parse(alone.getMetadata().getCreationTimestamp());
      Instant readyAt = alone.getStatus().getConditions().stream().filter(c -> c.getType().equals("Ready")).findFirst()
          .map(c -> Instant.parse(c.getLastTransitionTime())).orElseThrow();
      double podReady = Duration.between(created, readyAt).toMillis() / 1000.0;
      Thread.sleep(20_000); // its warm-up beside serving (2.5 s) and the heap settling after it are long done
      double idleRss = NodeAgents.memoryMiB(NodeAgents.pid(cluster, "worker-node-1"), "VmRSS");
      System.out.printf("agents: serving %.2f s after their JVMs started at install (with the controller starting too); "
          + "one alone: serving after %.2f s, pod Ready %.0f s after creation, idle RSS %.0f MiB%n", startAtInstall, start, podReady,
          idleRss);

      ok(ClusterTools.exec(cluster, "kubectl", """
          apiVersion: spiderpool.spidernet.io/v2beta1
          kind: SpiderIPPool
          metadata: {name: bench-node-1}
          spec: {subnet: 10.8.0.0/16, ips: [10.8.1.1-10.8.1.250], gateway: 10.8.0.1, nodeName: [controller-node-1]}
          ---
          apiVersion: spiderpool.spidernet.io/v2beta1
          kind: SpiderIPPool
          metadata: {name: bench-node-2}
          spec: {subnet: 10.9.0.0/16, ips: [10.9.1.1-10.9.1.250], gateway: 10.9.0.1, nodeName: [worker-node-1]}
          """, "apply", "-f", "-"), "the pools");
      Running run = allRunning(cluster, client, pods);
      List<Pod> running = run.pods();
      double allRunning = run.seconds();

      Map<Double, Double> buckets = new TreeMap<>();
      double peakRss = 0;
      for (String node : NODES) {
        NodeAgents.metrics(client, node).lines().map(BUCKET::matcher).filter(Matcher::matches)
            .forEach(m -> buckets.merge(m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1)),
                Double.parseDouble(m.group(2)), Double::sum));
        peakRss = Math.max(peakRss, NodeAgents.memoryMiB(NodeAgents.pid(cluster, node), "VmHWM"));
      }
      List<String> ips = running.stream().map(p -> p.getStatus().getPodIP()).toList();
      int duplicates = ips.size() - new HashSet<>(ips).size();

      ok(ClusterTools.exec(cluster, "kubectl", null, "delete", "namespace", "bench", "--wait=true", "--timeout=5m"), "delete");
      long leakDeadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      int leaked;
      do {
        Thread.sleep(500);
        leaked = 0;
        for (String name : List.of("bench-node-1", "bench-node-2")) {
          SpiderIPPool pool = client.resources(SpiderIPPool.class).withName(name).get();
          leaked += pool.getStatus() == null || pool.getStatus().allocatedIPs == null ? 0
              : PoolIPAllocations.decode(name, pool.getStatus().allocatedIPs).size();
        }
      } while (leaked > 0 && System.nanoTime() < leakDeadline);

      System.out.printf("%s pods=%d all_running_s=%.1f cni_add_p50_ms=%.1f cni_add_p99_ms=%.1f agent_rss_mib=%.0f "
              + "agent_start_s=%.2f agent_pod_ready_s=%.0f agent_idle_rss_mib=%.0f duplicates=%d leaked=%d%n",
          label, pods, allRunning, quantile(buckets, 0.5) * 1000, quantile(buckets, 0.99) * 1000, peakRss, start, podReady, idleRss,
          duplicates, leaked);
    }
    System.exit(0);
  }

  record Running(List<Pod> pods, double seconds) {}

  /** The Deployment of {@code pods} applied, then polled until every pod is Ready: the pods and the seconds it took. */
  private static Running allRunning(LocalCluster cluster, KubernetesClient client, int pods) throws InterruptedException {
    ok(ClusterTools.exec(cluster, "kubectl", "{apiVersion: v1, kind: Namespace, metadata: {name: bench}}", "apply", "-f", "-"),
        "the namespace");
    long t0 = System.nanoTime();
    ok(ClusterTools.exec(cluster, "kubectl", Manifests.deployment("bench", "bench", pods, List.of("bench-node-1", "bench-node-2")),
        "apply", "-f", "-"), "the Deployment");
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    List<Pod> running;
    do {
      Thread.sleep(100);
      running = client.pods().inNamespace("bench").list().getItems().stream().filter(NodeBench::ready).toList();
      check(System.nanoTime() < deadline, pods + " pods running within 10 minutes (" + running.size() + " are)");
    } while (running.size() < pods);
    return new Running(running, (System.nanoTime() - t0) / 1e9);
  }

  /** Prometheus' histogram_quantile over cumulative buckets (upper bound to count). */
  static double quantile(Map<Double, Double> cumulative, double q) {
    double total = cumulative.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
    double rank = q * total;
    double lowerBound = 0;
    double lowerCount = 0;
    for (Map.Entry<Double, Double> b : cumulative.entrySet()) {
      if (b.getValue() >= rank) {
        if (b.getKey().isInfinite()) {
          return lowerBound;
        }
        return lowerBound + (b.getKey() - lowerBound) * (rank - lowerCount) / Math.max(b.getValue() - lowerCount, 1e-9);
      }
      lowerBound = b.getKey();
      lowerCount = b.getValue();
    }
    return lowerBound;
  }

  private static List<Pod> agents(KubernetesClient client) {
    return client.pods().inNamespace("kube-system").withLabel("app.kubernetes.io/component", "spiderpool-agent").list().getItems()
        .stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
  }

  /** JVM start to serving, from the agent's log line. */
  private static double servingSeconds(LocalCluster cluster, Pod agent) {
    String log = ClusterTools.exec(cluster, "kubectl", null, "logs", "-n", "kube-system", agent.getMetadata().getName()).out();
    Matcher m = SERVING.matcher(log);
    check(m.find(), "the serving line in " + agent.getMetadata().getName() + "'s log");
    return Long.parseLong(m.group(1)) / 1000.0;
  }

  private static boolean ready(Pod pod) {
    return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
        .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
  }

  private static void ok(ClusterTools.Result r, String what) {
    check(r.exit() == 0, what + ": " + r.out() + r.err());
  }

  private static void check(boolean condition, String what) {
    if (!condition) {
      System.err.println("bench-node: failed: " + what);
      System.exit(1);
    }
  }
}
