package io.spidernet.spiderpool.agent.bench;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spidernet.spiderpool.testsupport.agent.AgentClient;
import io.spidernet.spiderpool.testsupport.agent.AgentProcess;
import io.spidernet.spiderpool.api.codec.PoolIPAllocation;
import io.spidernet.spiderpool.api.codec.PoolIPAllocations;
import io.spidernet.spiderpool.api.v2beta1.IPPoolSpec;
import io.spidernet.spiderpool.api.v2beta1.SpiderEndpoint;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.testsupport.kube.Crds;
import io.spidernet.spiderpool.testsupport.kube.KubeCluster;
import io.spidernet.spiderpool.testsupport.kube.LocalCluster;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * The IPAM benchmark behind {@code scripts/bench-ipam}: N pods on a pool of exactly N IPs, their
 * ADDs fired at once at K agent processes (one per node), against the real local API server; then
 * every pod deleted, released and re-created, and the burst again. Prints one machine-readable line
 * per phase and the idle single-request latency. Figures, not assertions.
 */
public final class IpamBench {
  private final KubernetesClient client;
  private final Vertx vertx;
  private final List<AgentProcess> agents = new ArrayList<>();
  private final List<AgentClient> sockets = new ArrayList<>();
  private final List<Integer> metricPorts = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private final int pods;
  private final String pool = "bench-exact-fit";
  private final String namespace = "bench";

  private IpamBench(KubernetesClient client, Vertx vertx, int pods) {
    this.client = client;
    this.vertx = vertx;
    this.pods = pods;
  }

  public static void main(String[] args) throws Exception {
    int pods = 1000;
    int agentCount = 10;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--pods" -> pods = Integer.parseInt(args[++i]);
        case "--agents" -> agentCount = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("usage: IpamBench [--pods N] [--agents K]");
      }
    }
    LocalCluster cluster = LocalCluster.get();
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    try (KubernetesClient client = KubeCluster.client(cluster)) {
      Crds.install(client, cluster.root());
      IpamBench bench = new IpamBench(client, vertx, pods);
      try {
        bench.run(cluster, agentCount);
      } finally {
        bench.close();
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    System.exit(0);
  }

  private void run(LocalCluster cluster, int agentCount) throws Exception {
    setUpPool();
    client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
        .withName(namespace).endMetadata().build()).serverSideApply();
    Path work = Files.createTempDirectory("bench-ipam");
    for (int i = 0; i < agentCount; i++) {
      int metricPort = 17100 + i;
      AgentProcess agent = AgentProcess.start(AgentProcess.jar(), "bench-node-" + i, cluster.kubeconfig(), work,
          Map.of("SPIDERPOOL_ENABLED_METRIC", "true", "SPIDERPOOL_METRIC_HTTP_PORT", String.valueOf(metricPort)));
      agents.add(agent);
      sockets.add(new AgentClient(vertx, agent.socket()));
      metricPorts.add(metricPort);
    }
    System.out.println("bench-ipam: " + agentCount + " agents up; creating " + pods + " pods");

    List<Pod> first = createPods("a");
    String line = burst(first, agentCount);
    System.out.println("bench-ipam " + line);

    deleteAndRelease(first);
    List<Pod> second = createPods("b");
    String recreate = burst(second, agentCount);
    System.out.println("bench-ipam-recreate " + recreate);

    deleteAndRelease(second);
    System.out.println("bench-ipam-idle " + idleLatency(40));

    // In a cluster the other nodes' agents run on other machines; here they share two cores with the
    // API server, and every pool write wakes all of them. Measure once more with one agent running.
    while (agents.size() > 1) {
      agents.remove(agents.size() - 1).close();
      sockets.remove(sockets.size() - 1);
      metricPorts.remove(metricPorts.size() - 1);
    }
    System.out.println("bench-ipam-idle-alone " + idleLatency(40));
  }

  private void setUpPool() {
    client.resources(SpiderIPPool.class).withName(pool).withGracePeriod(0).delete();
    client.resources(SpiderIPPool.class).withName(pool).waitUntilCondition(p -> p == null, 60, TimeUnit.SECONDS);
    SpiderIPPool p = new SpiderIPPool();
    p.getMetadata().setName(pool);
    IPPoolSpec spec = new IPPoolSpec();
    spec.subnet = "10.40.0.0/16";
    int last = pods; // 10.40.0.1 .. exactly N addresses
    spec.ips = List.of("10.40.0.1-" + address(last));
    p.setSpec(spec);
    client.resource(p).create();
  }

  private static String address(int n) {
    return "10.40." + (n / 256) + "." + (n % 256);
  }

  private List<Pod> createPods(String prefix) {
    List<Pod> out = Collections.synchronizedList(new ArrayList<>());
    IntStream.range(0, pods).parallel().forEach(i -> out.add(client.resource(new PodBuilder().withNewMetadata()
        .withName(prefix + "-" + i).withNamespace(namespace)
        .addToAnnotations("ipam.spidernet.io/ippool", "{\"ipv4\":[\"" + pool + "\"]}").endMetadata()
        .withNewSpec().withNodeName("bench-node-" + (i % agents.size()))
        .addNewContainer().withName("c").withImage("nginx").endContainer().endSpec().build()).create()));
    // Let every agent's pod cache see its pods, as kubelet calls CNI only after the pod is bound.
    try {
      Thread.sleep(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return new ArrayList<>(out);
  }

  private String burst(List<Pod> batch, int agentCount) throws Exception {
    double writesBefore = sumMetric("spiderpool_ipam_pool_status_writes_total");
    double conflictsBefore = sumMetric("spiderpool_ipam_allocation_update_ippool_conflict_counts_total");
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    List<Future<?>> calls = new ArrayList<>();
    double agentCpuBefore = agentCpuSeconds();
    double apiServerCpuBefore = io.spidernet.spiderpool.testsupport.ProcessCpu.apiServer();
    long start = System.nanoTime();
    for (int i = 0; i < batch.size(); i++) {
      Pod pod = batch.get(i);
      long t0 = System.nanoTime();
      calls.add(sockets.get(i % agentCount).call(HttpMethod.POST, "/v1/ipam/ip",
              AgentClient.addArgs(namespace, pod.getMetadata().getName(), pod.getMetadata().getUid(), "eth0"))
          .andThen(ar -> {
            latencies.add(System.nanoTime() - t0);
            if (ar.failed() || ar.result().status() != 200) {
              failures.add(ar.failed() ? ar.cause().toString() : ar.result().body());
            }
          }));
    }
    Future.join(calls).toCompletionStage().toCompletableFuture().handle((r, e) -> null).get(600, TimeUnit.SECONDS);
    double wall = (System.nanoTime() - start) / 1e9;
    double agentCpu = agentCpuSeconds() - agentCpuBefore;
    double apiServerCpu = io.spidernet.spiderpool.testsupport.ProcessCpu.apiServer() - apiServerCpuBefore;
    int allocated = batch.size() - failures.size();
    double writes = sumMetric("spiderpool_ipam_pool_status_writes_total") - writesBefore;
    double conflicts = sumMetric("spiderpool_ipam_allocation_update_ippool_conflict_counts_total") - conflictsBefore;
    Collections.sort(latencies);
    if (!failures.isEmpty()) {
      System.out.println("bench-ipam: " + failures.size() + " failures, first: " + failures.get(0));
    }
    SortedMap<String, PoolIPAllocation> records = records();
    List<SpiderEndpoint> endpoints = client.resources(SpiderEndpoint.class).inNamespace(namespace).list().getItems();
    HashSet<String> endpointIPs = new HashSet<>();
    int duplicates = 0;
    String prefix = batch.get(0).getMetadata().getName().split("-")[0] + "-";
    for (SpiderEndpoint se : endpoints) {
      if (!se.getMetadata().getName().startsWith(prefix)) {
        continue; // the previous batch's endpoints, not yet collected by kube-controller-manager
      }
      if (!endpointIPs.add(se.getStatus().current.ips.get(0).ipv4)) {
        duplicates++;
      }
    }
    int leaked = Math.abs(records.size() - allocated);
    double rss = 0;
    for (AgentProcess a : agents) {
      rss = Math.max(rss, a.peakRssMiB());
    }
    return String.format(Locale.ROOT,
        "pods=%d agents=%d wall_s=%.2f allocs_per_s=%.1f writes_per_alloc=%.3f conflicts_per_alloc=%.3f "
            + "p50_ms=%.1f p99_ms=%.1f duplicates=%d leaked=%d agent_rss_mib=%.0f agents_cpu_s=%.1f apiserver_cpu_s=%.1f",
        batch.size(), agentCount, wall, allocated / wall, writes / Math.max(1, allocated),
        conflicts / Math.max(1, allocated), ms(latencies, 0.50), ms(latencies, 0.99), duplicates, leaked, rss,
        agentCpu, apiServerCpu);
  }

  /** CPU seconds used so far by all agent processes together. */
  private double agentCpuSeconds() throws IOException {
    double sum = 0;
    for (AgentProcess a : agents) {
      sum += a.cpuSeconds();
    }
    return sum;
  }

  /** Sequential ADD + DEL of single pods on an otherwise idle agent: the latency one pod sees. */
  private String idleLatency(int samples) throws Exception {
    List<Long> add = new ArrayList<>();
    // Idle means idle: kube-controller-manager has collected the previous endpoints first.
    long settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!client.resources(SpiderEndpoint.class).inNamespace(namespace).list().getItems().isEmpty()
        && System.nanoTime() < settle) {
      Thread.sleep(500);
    }
    Thread.sleep(2000);
    List<Pod> idle = createPods("idle").subList(0, samples);
    double writesBefore = sumMetric("spiderpool_ipam_pool_status_writes_total");
    double conflictsBefore = sumMetric("spiderpool_ipam_allocation_update_ippool_conflict_counts_total");
    for (Pod pod : idle) {
      int agent = Integer.parseInt(pod.getSpec().getNodeName().substring("bench-node-".length()));
      var args = AgentClient.addArgs(namespace, pod.getMetadata().getName(), pod.getMetadata().getUid(), "eth0");
      long t0 = System.nanoTime();
      sockets.get(agent).call(HttpMethod.POST, "/v1/ipam/ip", args).toCompletionStage().toCompletableFuture().get();
      add.add(System.nanoTime() - t0);
    }
    Collections.sort(add);
    double writes = sumMetric("spiderpool_ipam_pool_status_writes_total") - writesBefore;
    double conflicts = sumMetric("spiderpool_ipam_allocation_update_ippool_conflict_counts_total") - conflictsBefore;
    deleteAndRelease(createdIdle());
    return String.format(Locale.ROOT, "samples=%d add_p50_ms=%.1f add_p99_ms=%.1f writes=%.0f conflicts=%.0f",
        samples, ms(add, 0.5), ms(add, 0.99), writes, conflicts);
  }

  private List<Pod> createdIdle() {
    return client.pods().inNamespace(namespace).list().getItems();
  }

  /** Deletes the pods and sends their DELs, retrying failed DELs as kubelet does (three rounds). */
  private void deleteAndRelease(List<Pod> batch) throws Exception {
    batch.parallelStream().forEach(p -> client.resource(p).withGracePeriod(0).delete());
    List<Pod> pending = batch;
    for (int round = 0; round < 3 && !pending.isEmpty(); round++) {
      List<Pod> failed = Collections.synchronizedList(new ArrayList<>());
      List<Future<?>> dels = new ArrayList<>();
      for (Pod pod : pending) {
        int agent = Integer.parseInt(pod.getSpec().getNodeName().substring("bench-node-".length()));
        dels.add(sockets.get(agent).call(HttpMethod.DELETE, "/v1/ipam/ip",
                AgentClient.addArgs(namespace, pod.getMetadata().getName(), pod.getMetadata().getUid(), "eth0"))
            .andThen(ar -> {
              if (ar.failed() || ar.result().status() != 200) {
                if (failed.isEmpty()) {
                  System.out.println("bench-ipam: a DEL failed: " + (ar.failed() ? ar.cause() : ar.result().body()));
                }
                failed.add(pod);
              }
            }));
      }
      Future.join(dels).toCompletionStage().toCompletableFuture().handle((r, e) -> null).get(600, TimeUnit.SECONDS);
      if (!failed.isEmpty()) {
        System.out.println("bench-ipam: " + failed.size() + " DELs failed in round " + (round + 1) + "; retrying");
      }
      pending = new ArrayList<>(failed);
    }
    System.out.println("bench-ipam: released " + batch.size() + " pods; " + records().size() + " records left");
  }

  private SortedMap<String, PoolIPAllocation> records() {
    SpiderIPPool p = client.resources(SpiderIPPool.class).withName(pool).get();
    return PoolIPAllocations.decode(pool, p.getStatus() == null ? null : p.getStatus().allocatedIPs);
  }

  private double sumMetric(String name) throws Exception {
    double sum = 0;
    for (int port : metricPorts) {
      String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      for (String line : body.split("\n")) {
        if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
          sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
    }
    return sum;
  }

  private static double ms(List<Long> sortedNanos, double q) {
    if (sortedNanos.isEmpty()) {
      return Double.NaN;
    }
    int i = (int) Math.min(sortedNanos.size() - 1, Math.round(q * (sortedNanos.size() - 1)));
    return sortedNanos.get(i) / 1e6;
  }

  private void close() throws Exception {
    for (AgentProcess a : agents) {
      a.close();
    }
    client.namespaces().withName(namespace).delete();
    client.resources(SpiderIPPool.class).withName(pool).delete();
  }
}
