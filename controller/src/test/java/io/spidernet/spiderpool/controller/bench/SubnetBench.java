package io.spidernet.spiderpool.controller.bench;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.spidernet.spiderpool.api.Constants;
import io.spidernet.spiderpool.api.ip.IP;
import io.spidernet.spiderpool.api.ip.IPRanges;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.api.v2beta1.SpiderSubnet;
import io.spidernet.spiderpool.controller.it.ControllerProcess;
import io.spidernet.spiderpool.testsupport.agent.AgentClient;
import io.spidernet.spiderpool.testsupport.agent.AgentProcess;
import io.spidernet.spiderpool.testsupport.agent.KubeletStandIn;
import io.spidernet.spiderpool.testsupport.kube.Crds;
import io.spidernet.spiderpool.testsupport.kube.KubeCluster;
import io.spidernet.spiderpool.testsupport.kube.LocalCluster;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Auto-pool benchmark (issue 13): 100 Deployments x 10 replicas naming one /16 SpiderSubnet, created
 * at once, against a real API server, kube-controller-manager, the controller jar and an agent jar,
 * with the kubelet stand-in binding pods and calling CNI ADD as soon as they exist (the agent waits
 * for each auto-pool as upstream does). Prints the time until every auto-pool has its 11 IPs and
 * until every pod holds an IP, the subnet's writes (watch events), the writer's conflicts (its log)
 * and any IP held twice.
 */
public final class SubnetBench {
  private SubnetBench() {}

  public static void main(String[] args) throws Exception {
    int apps = args.length > 1 && args[0].equals("--apps") ? Integer.parseInt(args[1]) : 100;
    int replicas = 10;
    LocalCluster cluster = LocalCluster.get();
    KubernetesClient client = KubeCluster.client(cluster);
    Crds.install(client, cluster.root());
    String ns = "bench-subnet";
    String node = "bench-subnet-node";
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).serverSideApply();
    client.resource(new NodeBuilder().withNewMetadata().withName(node).endMetadata().build()).serverSideApply();
    Vertx vertx = Vertx.vertx();
    try (ControllerProcess controller = ControllerProcess.start(cluster, client, ns);
        AgentProcess agent = AgentProcess.start(AgentProcess.jar(), node, cluster.kubeconfig(), Files.createTempDirectory("bench-subnet"))) {
      client.resource(client.getKubernetesSerialization().unmarshal("apiVersion: spiderpool.spidernet.io/v2beta1\n"
          + "kind: SpiderSubnet\nmetadata: {name: bench}\nspec: {subnet: 10.200.0.0/16, ips: [10.200.1.0-10.200.255.254], "
          + "gateway: 10.200.0.1}\n", SpiderSubnet.class)).create();
      AtomicInteger subnetWrites = new AtomicInteger();
      Watch watch = client.resources(SpiderSubnet.class).withName("bench").watch(new Watcher<>() {
        @Override
        public void eventReceived(Action action, SpiderSubnet s) {
          if (action == Action.MODIFIED) {
            subnetWrites.incrementAndGet();
          }
        }

        @Override
        public void onClose(WatcherException e) {}
      });
      Thread.sleep(1000);
      int writesBefore = subnetWrites.get();
      KubeletStandIn kubelet = new KubeletStandIn(client, new AgentClient(vertx, agent.socket()), node);

      long t0 = System.nanoTime();
      ExecutorService threads = Executors.newFixedThreadPool(16);
      List<Callable<Deployment>> creates = new ArrayList<>();
      for (int i = 0; i < apps; i++) {
        String name = "app-" + i;
        creates.add(() -> client.resource(new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
            .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", name).endSelector()
            .withNewTemplate().withNewMetadata().addToLabels("app", name)
            .addToAnnotations("ipam.spidernet.io/subnet", "{\"ipv4\":[\"bench\"]}").endMetadata()
            .withNewSpec().addNewContainer().withName("c").withImage("nginx").endContainer().endSpec().endTemplate()
            .endSpec().build()).create());
      }
      for (var f : threads.invokeAll(creates)) {
        f.get();
      }
      threads.shutdown();
      double created = (System.nanoTime() - t0) / 1e9;

      // Every auto-pool's readiness is polled on its own thread: a pass of the stand-in can take seconds.
      java.util.concurrent.atomic.AtomicLong poolsReadyNanos = new java.util.concurrent.atomic.AtomicLong(-1);
      Thread poller = new Thread(() -> {
        while (poolsReadyNanos.get() < 0 && !Thread.currentThread().isInterrupted()) {
          if (readyPools(client, replicas + 1) == apps) {
            poolsReadyNanos.set(System.nanoTime() - t0);
          }
          try {
            Thread.sleep(200);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      poller.start();
      double allocated = -1;
      double podsCreated = -1;
      Map<String, String> ips = new HashMap<>();
      KubeletStandIn.Pass last = null;
      long deadline = t0 + 300_000_000_000L;
      while (allocated < 0 && System.nanoTime() < deadline) {
        last = kubelet.pass(ns);
        ips.clear();
        List<Pod> pods = client.pods().inNamespace(ns).list().getItems();
        if (podsCreated < 0 && pods.size() == apps * replicas) {
          podsCreated = (System.nanoTime() - t0) / 1e9;
        }
        for (Pod p : pods) {
          if (p.getStatus() != null && p.getStatus().getPodIP() != null) {
            ips.put(p.getMetadata().getName(), p.getStatus().getPodIP());
          }
        }
        if (ips.size() == apps * replicas) {
          allocated = (System.nanoTime() - t0) / 1e9;
        }
      }
      poller.join(10_000);
      poller.interrupt();
      double poolsReady = poolsReadyNanos.get() / 1e9;
      watch.close();
      if (allocated < 0) {
        System.out.printf("after 300 s, %d pods hold an IP; the last pass's failures: %s%n", ips.size(),
            last.failures().entrySet().stream().limit(3).toList());
      }
      int duplicates = ips.size() - new HashSet<>(ips.values()).size() + poolOverlaps(client);
      long conflicts = Files.readAllLines(controller.log).stream().filter(l -> l.contains("retrying with fresh copies")).count();
      System.out.printf("deployments created in %.1f s; kube-controller-manager (--kube-api-qps %s) had created every pod "
          + "after %.1f s; controller peak RSS %.0f MiB, agent peak RSS %.0f MiB%n", created,
          System.getenv().getOrDefault("SPJ_KCM_API_QPS", "20"), podsCreated, controller.peakRssMiB(), agent.peakRssMiB());
      System.out.printf("bench-subnet apps=%d replicas=%d pools_ready_s=%.1f all_pods_allocated_s=%.1f subnet_writes=%d "
          + "conflicts=%d duplicates=%d%n", apps, apps * replicas, poolsReady, allocated, subnetWrites.get() - writesBefore,
          conflicts, duplicates);
    } finally {
      vertx.close();
    }
  }

  /** Auto-pools of the bench subnet with {@code size} IPs. */
  private static long readyPools(KubernetesClient client, long size) {
    return client.resources(SpiderIPPool.class).withLabel(Constants.LABEL_OWNER_SPIDER_SUBNET, "bench").list().getItems().stream()
        .filter(p -> IPRanges.parse(4, p.getSpec().ips, "ips").countSaturated() == size).count();
  }

  /** IPs in two auto-pools at once. */
  private static int poolOverlaps(KubernetesClient client) {
    Set<IP> seen = new HashSet<>();
    int twice = 0;
    for (SpiderIPPool p : client.resources(SpiderIPPool.class).withLabel(Constants.LABEL_OWNER_SPIDER_SUBNET, "bench").list().getItems()) {
      for (var r : IPRanges.parse(4, p.getSpec().ips, "ips").ranges()) {
        for (IP ip = r.first(); ip != null && ip.compareTo(r.last()) <= 0; ip = ip.next()) {
          if (!seen.add(ip)) {
            twice++;
          }
        }
      }
    }
    return twice;
  }
}
