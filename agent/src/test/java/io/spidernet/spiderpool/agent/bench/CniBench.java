package io.spidernet.spiderpool.agent.bench;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spidernet.spiderpool.testsupport.agent.AgentProcess;
import io.spidernet.spiderpool.agent.it.NetnsCni;
import io.spidernet.spiderpool.agent.it.Pools;
import io.spidernet.spiderpool.api.codec.PoolIPAllocations;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.it.Fixtures;
import io.spidernet.spiderpool.testsupport.kube.Crds;
import io.spidernet.spiderpool.testsupport.kube.KubeCluster;
import io.spidernet.spiderpool.testsupport.kube.LocalCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The CNI benchmark behind {@code scripts/bench-cni}: the plugin's VERSION exec time; ADD through
 * plugin and agent on an idle agent; and sequential pod ADD/DEL cycles through the real macvlan
 * plugin in network namespaces, checking nothing leaks. Figures, not assertions.
 */
public final class CniBench {
  public static void main(String[] args) throws Exception {
    int cycles = args.length > 1 && args[0].equals("--cycles") ? Integer.parseInt(args[1]) : 200;
    LocalCluster cluster = LocalCluster.get();
    String run = UUID.randomUUID().toString().substring(0, 6);
    String node = "bench-cni-node";
    String pool = "bench-cni";
    String namespace = "bench-cni";
    try (KubernetesClient client = KubeCluster.client(cluster)) {
      Crds.install(client, cluster.root());
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
          .serverSideApply();
      SpiderIPPool p = Fixtures.poolWithGateway(pool, "10.90.0.0/24", "10.90.0.1", "10.90.0.10-10.90.0.20");
      client.resources(SpiderIPPool.class).withName(pool).delete();
      client.resources(SpiderIPPool.class).withName(pool).waitUntilCondition(x -> x == null, 60, TimeUnit.SECONDS);
      client.resource(p).create();
      // The agent as it is deployed: its own JVM, started from the jar with agent/jvm-options.
      try (AgentProcess agent = AgentProcess.start(AgentProcess.jar(), node, cluster.kubeconfig(),
              java.nio.file.Files.createTempDirectory("bench-cni"));
          NetnsCni runtime = NetnsCni.create("spj-bench-" + run)) {
        Path socket = agent.socket();
        String podNs = "spj-bench-pod-" + run;
        runtime.netns(podNs);

        List<Long> version = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
          long t0 = System.nanoTime();
          Process v = new ProcessBuilder(runtime.binDir().resolve("spiderpool").toString())
              .redirectErrorStream(true).start();
          v.getOutputStream().write("{\"cniVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
          v.getOutputStream().close();
          v.getInputStream().readAllBytes();
          v.waitFor();
          version.add(System.nanoTime() - t0);
        }

        // ADD through the plugin alone (no macvlan), idle agent: the IPAM share of a pod start. As
        // on a node, the plugin runs in the host's network namespace, and only after the pod has
        // been bound for a while (kubelet creates the sandbox first, which takes far longer).
        List<Long> add = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
          Pod pod = pod(client, namespace, node, "add-" + i);
          String conf = NetnsCni.macvlanConf("1.0.0", pool, socket, null);
          Thread.sleep(200);
          long t0 = System.nanoTime();
          NetnsCni.Run r = runtime.runOnHost("spiderpool", "ADD", pod, podNs, conf);
          add.add(System.nanoTime() - t0);
          if (r.exit() != 0) {
            throw new IllegalStateException("ADD failed: " + r.stdout());
          }
          client.resource(pod).withGracePeriod(0).delete();
          client.resource(pod).waitUntilCondition(x -> x == null, 30, TimeUnit.SECONDS);
          runtime.run("spiderpool", "DEL", pod, podNs, conf);
        }

        // Full pod cycles through macvlan: ADD, pod deleted, DEL.
        long start = System.nanoTime();
        int failures = 0;
        for (int i = 0; i < cycles; i++) {
          Pod pod = pod(client, namespace, node, "cycle-" + i);
          String conf = NetnsCni.macvlanConf("1.0.0", pool, socket, null);
          if (runtime.run("macvlan", "ADD", pod, podNs, conf).exit() != 0) {
            failures++;
          }
          client.resource(pod).withGracePeriod(0).delete();
          client.resource(pod).waitUntilCondition(x -> x == null, 30, TimeUnit.SECONDS);
          if (runtime.run("macvlan", "DEL", pod, podNs, conf).exit() != 0) {
            failures++;
          }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        SpiderIPPool after = client.resources(SpiderIPPool.class).withName(pool).get();
        int leaked = PoolIPAllocations.decode(pool, after.getStatus() == null ? null : after.getStatus().allocatedIPs).size();
        long leftover = NetnsCni.sh("ip", "-n", podNs, "-o", "link", "show").lines().filter(l -> !l.contains(" lo:")).count();
        Collections.sort(version);
        Collections.sort(add);
        if (failures > 0) {
          System.out.println("bench-cni: " + failures + " failed calls");
        }
        System.out.println(String.format(Locale.ROOT,
            "bench-cni version_exec_ms=%.1f add_p50_ms=%.1f add_p99_ms=%.1f cycles=%d cycles_per_s=%.1f "
                + "leaked_records=%d leftover_links=%d",
            ms(version, 0.5), ms(add, 0.5), ms(add, 0.99), cycles, cycles / seconds, leaked, leftover));
      } finally {
        client.namespaces().withName(namespace).delete();
      }
    }
    System.exit(0);
  }

  private static Pod pod(KubernetesClient client, String namespace, String node, String name) {
    return client.resource(new PodBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
        .withNewSpec().withNodeName(node).addNewContainer().withName("c").withImage("nginx").endContainer().endSpec()
        .build()).create();
  }

  private static double ms(List<Long> sortedNanos, double q) {
    int i = (int) Math.min(sortedNanos.size() - 1, Math.round(q * (sortedNanos.size() - 1)));
    return sortedNanos.get(i) / 1e6;
  }
}
