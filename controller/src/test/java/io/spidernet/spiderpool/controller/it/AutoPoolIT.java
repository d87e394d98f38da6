package io.spidernet.spiderpool.controller.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spidernet.spiderpool.api.Constants;
import io.spidernet.spiderpool.api.codec.ControlledIPPools;
import io.spidernet.spiderpool.api.codec.PoolIPPreAllocation;
import io.spidernet.spiderpool.api.ip.IP;
import io.spidernet.spiderpool.api.ip.IPRanges;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.api.v2beta1.SpiderSubnet;
import io.spidernet.spiderpool.testsupport.Eventually;
import io.spidernet.spiderpool.testsupport.SeedDocument;
import io.spidernet.spiderpool.testsupport.SeedDocuments;
import io.spidernet.spiderpool.testsupport.agent.AgentClient;
import io.spidernet.spiderpool.testsupport.agent.AgentProcess;
import io.spidernet.spiderpool.testsupport.agent.KubeletStandIn;
import io.spidernet.spiderpool.testsupport.kube.KubeCluster;
import io.spidernet.spiderpool.testsupport.kube.LocalCluster;
import io.spidernet.spiderpool.testsupport.kube.TestNamespace;
import io.spidernet.spiderpool.webhook.rules.WebhookConfig;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.node.ObjectNode;

/**
 * Seed 004's SpiderSubnet and Deployment, the Deployment naming the subnet in
 * {@code ipam.spidernet.io/subnet} (spec 6.5), with the real controller, a real agent and the
 * kube-controller-manager's Deployment and ReplicaSet controllers: the auto-pool appears with
 * replicas + 1 IPs, lowest first, each pod gets a fixed IP from it, scaling resizes it, deleting the
 * Deployment reclaims it. Then churn: many Deployments on one subnet scaled at random.
 */
@ExtendWith(KubeCluster.class)
class AutoPoolIT {
  private static final String SEED = "004_25d80e998559e397.txt";
  private static final Map<String, String> AGENT_ENV = Map.of("SPIDERPOOL_WAIT_SUBNET_POOL_TIME_IN_SECOND", "1");

  /** Seed 004's SpiderSubnet, its metadata indentation repaired (see SeedModelTest), under another name. */
  static SpiderSubnet seedSubnet(KubernetesClient client, String name) {
    SeedDocument doc = SeedDocuments.all().stream().filter(d -> d.seed().equals(SEED) && d.kind().equals("SpiderSubnet"))
        .findFirst().orElseThrow();
    ObjectNode repaired = (ObjectNode) doc.tree().deepCopy();
    repaired.remove("name");
    repaired.putObject("metadata").put("name", name);
    return client.getKubernetesSerialization().unmarshal(repaired.toString(), SpiderSubnet.class);
  }

  /** Seed 004's Deployment, naming the subnet in {@code ipam.spidernet.io/subnet} instead of a pool in {@code ippool}. */
  static Deployment seedDeployment(KubernetesClient client, String namespace, String subnet) {
    SeedDocument doc = SeedDocuments.all().stream().filter(d -> d.seed().equals(SEED) && d.kind().equals("Deployment"))
        .findFirst().orElseThrow();
    Deployment d = client.getKubernetesSerialization().unmarshal(doc.yaml(), Deployment.class);
    d.getMetadata().setNamespace(namespace);
    Map<String, String> annotations = d.getSpec().getTemplate().getMetadata().getAnnotations();
    assertThat(annotations.remove("ipam.spidernet.io/ippool")).contains("\"subnet-test\"");
    annotations.put("ipam.spidernet.io/subnet", "{\"ipv4\": [\"" + subnet + "\"]}");
    d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("nginx");
    return d;
  }

  static List<SpiderIPPool> autoPools(KubernetesClient client, String namespace, String app) {
    return client.resources(SpiderIPPool.class).withLabel(Constants.LABEL_OWNER_APPLICATION_NAMESPACE, namespace)
        .withLabel(Constants.LABEL_OWNER_APPLICATION_NAME, app).list().getItems();
  }

  static long size(SpiderIPPool pool) {
    return IPRanges.parse(4, pool.getSpec().ips, "ips").countSaturated();
  }

  @Test
  void seed004DeploymentGetsAFixedAutoPoolThatFollowsItsReplicas(LocalCluster cluster, KubernetesClient client, TestNamespace ns)
      throws Exception {
    String node = ns.unique("node");
    String subnetName = ns.unique("subnet-test");
    client.resource(new NodeBuilder().withNewMetadata().withName(node).endMetadata().build()).create();
    Vertx vertx = Vertx.vertx();
    try (Controllers controllers = Controllers.start(cluster, client, ns.name(), Map.of("SPIDERPOOL_GC_DEFAULT_INTERVAL_DURATION", "5"),
        WebhookConfig.defaults());
        AgentProcess agent = AgentProcess.start(AgentProcess.jar(), node, cluster.kubeconfig(), Files.createTempDirectory("auto"), AGENT_ENV)) {
      client.resource(seedSubnet(client, subnetName)).create();
      Deployment deployment = client.resource(seedDeployment(client, ns.name(), subnetName)).create();
      String app = deployment.getMetadata().getName();
      KubeletStandIn kubelet = new KubeletStandIn(client, new AgentClient(vertx, agent.socket()), node);

      Eventually.until("the auto-pool has replicas + 1 = 3 IPs", Duration.ofSeconds(30),
          () -> autoPools(client, ns.name(), app).stream().anyMatch(p -> size(p) == 3));
      SpiderIPPool pool = autoPools(client, ns.name(), app).get(0);
      String uid = deployment.getMetadata().getUid();
      assertThat(pool.getMetadata().getName()).isEqualTo("auto4-custom-ippool-deploy-eth0-" + uid.substring(uid.lastIndexOf('-') + 1, uid.lastIndexOf('-') + 6));
      assertThat(pool.getSpec().ips).as("the subnet's lowest IPs").containsExactly("172.18.30.131-172.18.30.133");
      assertThat(pool.getSpec().gateway).isEqualTo("172.18.0.1");
      assertThat(pool.getMetadata().getAnnotations()).containsEntry("ipam.spidernet.io/ippool-ip-number", "+1");
      assertThat(pool.getMetadata().getLabels()).containsEntry(Constants.LABEL_OWNER_APPLICATION_KIND, "Deployment")
          .containsEntry(Constants.LABEL_OWNER_APPLICATION_UID, uid).containsEntry(Constants.LABEL_OWNER_SPIDER_SUBNET, subnetName);

      Map<String, String> running = runAll(client, kubelet, ns.name(), 2);
      assertThat(running.values()).allMatch(ip -> IPRanges.parse(4, pool.getSpec().ips, "ips").contains(IP.parse(ip)));

      client.apps().deployments().inNamespace(ns.name()).withName(app).scale(5);
      Eventually.until("the pool grows to 6", Duration.ofSeconds(30), () -> size(autoPools(client, ns.name(), app).get(0)) == 6);
      running = runAll(client, kubelet, ns.name(), 5);
      assertThat(new HashSet<>(running.values())).hasSize(5);

      client.apps().deployments().inNamespace(ns.name()).withName(app).scale(1);
      Eventually.until("the pool shrinks to 2 once the pods are gone", Duration.ofSeconds(60), () -> {
        kubelet.pass(ns.name());
        return size(autoPools(client, ns.name(), app).get(0)) == 2;
      });
      SpiderIPPool shrunk = autoPools(client, ns.name(), app).get(0);
      Pod last = client.pods().inNamespace(ns.name()).list().getItems().get(0);
      assertThat(IPRanges.parse(4, shrunk.getSpec().ips, "ips").contains(IP.parse(last.getStatus().getPodIP())))
          .as("the IP of the pod that stays stays in the pool").isTrue();
      assertEntryCovers(client, subnetName, shrunk);

      client.apps().deployments().inNamespace(ns.name()).withName(app).delete();
      Eventually.until("the auto-pool is reclaimed with its Deployment", Duration.ofSeconds(60), () -> {
        kubelet.pass(ns.name());
        return autoPools(client, ns.name(), app).isEmpty();
      });
      Eventually.until("the subnet controls nothing any more", Duration.ofSeconds(30), () -> {
        SpiderSubnet s = client.resources(SpiderSubnet.class).withName(subnetName).get();
        return s.getStatus() != null && s.getStatus().controlledIPPools == null && s.getStatus().allocatedIPCount == 0;
      });
    } finally {
      forget(client, subnetName);
      client.nodes().withName(node).delete();
      vertx.close();
    }
  }

  /**
   * {@code ipam.spidernet.io/ippool-reclaim: "false"}: the pool outlives its Deployment and the next
   * Deployment of the same name takes it over, IPs and all (its UID label follows).
   */
  @Test
  void aKeptPoolIsReusedByTheNextDeploymentOfTheSameName(LocalCluster cluster, KubernetesClient client, TestNamespace ns)
      throws Exception {
    String subnetName = ns.unique("keep");
    try (Controllers controllers = Controllers.start(cluster, client, ns.name(), Map.of(), WebhookConfig.defaults())) {
      createSubnet(client, subnetName, "subnet: 10.173.0.0/24, ips: [10.173.0.10-10.173.0.20]");
      Deployment d = seedDeployment(client, ns.name(), subnetName);
      d.getSpec().getTemplate().getMetadata().getAnnotations().put("ipam.spidernet.io/ippool-reclaim", "false");
      d.getSpec().getTemplate().getMetadata().getAnnotations().put("ipam.spidernet.io/ippool-ip-number", "4");
      String app = d.getMetadata().getName();
      Deployment first = client.resource(d).create();
      Eventually.until("the fixed-size pool of 4", Duration.ofSeconds(30),
          () -> autoPools(client, ns.name(), app).stream().anyMatch(p -> size(p) == 4));
      SpiderIPPool kept = autoPools(client, ns.name(), app).get(0);
      assertThat(kept.getMetadata().getLabels()).containsEntry(Constants.LABEL_IPPOOL_RECLAIM, "false");

      client.resource(first).delete();
      Eventually.until("the Deployment is gone", Duration.ofSeconds(30),
          () -> client.apps().deployments().inNamespace(ns.name()).withName(app).get() == null);
      Thread.sleep(2000); // what would reclaim it has had its chance
      assertThat(autoPools(client, ns.name(), app)).extracting(p -> p.getMetadata().getName())
          .containsExactly(kept.getMetadata().getName());

      d.getMetadata().setResourceVersion(null);
      Deployment second = client.resource(d).create();
      Eventually.until("the next Deployment of that name takes the pool over", Duration.ofSeconds(30), () -> {
        List<SpiderIPPool> pools = autoPools(client, ns.name(), app);
        return pools.size() == 1 && second.getMetadata().getUid().equals(
            pools.get(0).getMetadata().getLabels().get(Constants.LABEL_OWNER_APPLICATION_UID));
      });
      SpiderIPPool reused = autoPools(client, ns.name(), app).get(0);
      assertThat(reused.getMetadata().getName()).isEqualTo(kept.getMetadata().getName());
      assertThat(reused.getSpec().ips).isEqualTo(kept.getSpec().ips);
      client.resource(second).delete();
    } finally {
      forget(client, subnetName);
    }
  }

  /**
   * A bare pod naming a subnet (upstream refuses it): the agent makes its auto-pool through the
   * shared writer on the first ADD, and the controller deletes the pool once the pod is gone.
   */
  @Test
  void aBarePodGetsAnAutoPoolFromTheAgentThatGoesWithIt(LocalCluster cluster, KubernetesClient client, TestNamespace ns)
      throws Exception {
    String node = ns.unique("node");
    String subnetName = ns.unique("bare");
    client.resource(new NodeBuilder().withNewMetadata().withName(node).endMetadata().build()).create();
    Vertx vertx = Vertx.vertx();
    try (Controllers controllers = Controllers.start(cluster, client, ns.name(), Map.of(), WebhookConfig.defaults());
        AgentProcess agent = AgentProcess.start(AgentProcess.jar(), node, cluster.kubeconfig(), Files.createTempDirectory("bare"), AGENT_ENV)) {
      createSubnet(client, subnetName, "subnet: 10.172.0.0/24, ips: [10.172.0.10-10.172.0.20]");
      Pod pod = client.resource(new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata().withName("lonely")
          .withNamespace(ns.name()).addToAnnotations("ipam.spidernet.io/subnet", "{\"ipv4\":[\"" + subnetName + "\"]}").endMetadata()
          .withNewSpec().withNodeName(node).addNewContainer().withName("c").withImage("x").endContainer().endSpec().build()).create();
      AgentClient.Reply reply = new AgentClient(vertx, agent.socket()).call(io.vertx.core.http.HttpMethod.POST, "/v1/ipam/ip",
          AgentClient.args(pod)).toCompletionStage().toCompletableFuture().get(60, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(reply.status()).as(reply.body()).isEqualTo(200);
      String poolName = reply.json().getJsonArray("ips").getJsonObject(0).getString("ipPool");
      String uid = pod.getMetadata().getUid();
      assertThat(poolName).isEqualTo("auto4-lonely-eth0-" + uid.substring(uid.lastIndexOf('-') + 1, uid.lastIndexOf('-') + 6));
      SpiderIPPool pool = client.resources(SpiderIPPool.class).withName(poolName).get();
      assertThat(pool.getSpec().ips).as("one pod + the default 1").containsExactly("10.172.0.10-10.172.0.11");
      assertThat(pool.getMetadata().getLabels()).containsEntry(Constants.LABEL_OWNER_APPLICATION_KIND, "Pod")
          .containsEntry(Constants.LABEL_OWNER_APPLICATION_GV, "v1");

      client.resource(pod).withGracePeriod(0).delete();
      new AgentClient(vertx, agent.socket()).call(io.vertx.core.http.HttpMethod.DELETE, "/v1/ipam/ip", AgentClient.args(pod))
          .toCompletionStage().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
      Eventually.until("the pod's auto-pool goes with it", Duration.ofSeconds(30),
          () -> client.resources(SpiderIPPool.class).withName(poolName).get() == null);
    } finally {
      forget(client, subnetName);
      client.nodes().withName(node).delete();
      vertx.close();
    }
  }

  /**
   * 20 Deployments on one subnet, each scaled to a random 0-6 replicas every few seconds for two
   * minutes while the stand-in runs their pods: no IP is ever in two auto-pools (checked on every
   * list), and at rest every pod runs with an IP of its own pool, the subnet's counts equal its
   * pools' sizes, and deleting the Deployments leaves no pool and no allocated IP.
   */
  @Test
  void churnOfTwentyDeploymentsNeverPutsAnIPInTwoPools(LocalCluster cluster, KubernetesClient client, TestNamespace ns)
      throws Exception {
    String node = ns.unique("node");
    String subnetName = ns.unique("churn");
    client.resource(new NodeBuilder().withNewMetadata().withName(node).endMetadata().build()).create();
    Vertx vertx = Vertx.vertx();
    try (Controllers controllers = Controllers.start(cluster, client, ns.name(), Map.of("SPIDERPOOL_GC_DEFAULT_INTERVAL_DURATION", "5"),
        WebhookConfig.defaults());
        AgentProcess agent = AgentProcess.start(AgentProcess.jar(), node, cluster.kubeconfig(), Files.createTempDirectory("churn"), AGENT_ENV)) {
      createSubnet(client, subnetName, "subnet: 10.171.0.0/24, ips: [10.171.0.10-10.171.0.250], gateway: 10.171.0.1");
      List<String> apps = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        Deployment d = seedDeployment(client, ns.name(), subnetName);
        d.getMetadata().setName("churn-" + i);
        d.getSpec().getSelector().getMatchLabels().put("app", "churn-" + i);
        d.getSpec().getTemplate().getMetadata().getLabels().put("app", "churn-" + i);
        d.getSpec().setReplicas(1);
        client.resource(d).create();
        apps.add("churn-" + i);
      }
      KubeletStandIn kubelet = new KubeletStandIn(client, new AgentClient(vertx, agent.socket()), node);
      Random random = new Random(7);
      Map<String, Integer> wanted = new HashMap<>();
      long end = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      int checks = 0;
      while (System.nanoTime() < end) {
        String app = apps.get(random.nextInt(apps.size()));
        int replicas = random.nextInt(7);
        client.apps().deployments().inNamespace(ns.name()).withName(app).scale(replicas);
        wanted.put(app, replicas);
        kubelet.pass(ns.name());
        assertDisjoint(client, subnetName);
        checks++;
      }
      assertThat(checks).isGreaterThan(20);
      String unsettled = "not looked at";
      for (long until = System.nanoTime() + Duration.ofSeconds(120).toNanos(); unsettled != null && System.nanoTime() < until; ) {
        KubeletStandIn.Pass pass = kubelet.pass(ns.name());
        unsettled = !pass.failures().isEmpty() ? "ADDs failed: " + pass.failures()
            : pass.released() > 0 ? pass.released() + " pods were still terminating" : unsettled(client, ns.name(), apps, wanted);
        if (unsettled != null) {
          Thread.sleep(500);
        }
      }
      assertThat(unsettled).as("every pod of every Deployment runs with an IP of its auto-pool").isNull();
      assertDisjoint(client, subnetName);
      Eventually.until("the subnet's count is the sum of its pools", Duration.ofSeconds(30), () -> {
        long sum = client.resources(SpiderIPPool.class).withLabel(Constants.LABEL_OWNER_SPIDER_SUBNET, subnetName).list().getItems()
            .stream().mapToLong(AutoPoolIT::size).sum();
        SpiderSubnet s = client.resources(SpiderSubnet.class).withName(subnetName).get();
        return s.getStatus() != null && s.getStatus().allocatedIPCount != null && s.getStatus().allocatedIPCount == sum;
      });

      for (String app : apps) {
        client.apps().deployments().inNamespace(ns.name()).withName(app).delete();
      }
      Eventually.until("no auto-pool and no allocated IP remain", Duration.ofSeconds(90), () -> {
        kubelet.pass(ns.name());
        SpiderSubnet s = client.resources(SpiderSubnet.class).withName(subnetName).get();
        return client.resources(SpiderIPPool.class).withLabel(Constants.LABEL_OWNER_SPIDER_SUBNET, subnetName).list().getItems().isEmpty()
            && s.getStatus() != null && s.getStatus().controlledIPPools == null && s.getStatus().allocatedIPCount == 0;
      });
    } finally {
      forget(client, subnetName);
      client.nodes().withName(node).delete();
      vertx.close();
    }
  }

  /** One list of the subnet's pools: no IP in two of them. */
  private static void assertDisjoint(KubernetesClient client, String subnet) {
    Map<IP, String> owner = new HashMap<>();
    for (SpiderIPPool pool : client.resources(SpiderIPPool.class).withLabel(Constants.LABEL_OWNER_SPIDER_SUBNET, subnet).list().getItems()) {
      for (var range : IPRanges.parse(4, pool.getSpec().ips, "ips").ranges()) {
        for (IP ip = range.first(); ip != null && ip.compareTo(range.last()) <= 0; ip = ip.next()) {
          String before = owner.put(ip, pool.getMetadata().getName());
          assertThat(before).as(ip + " is in " + before + " and " + pool.getMetadata().getName()).isNull();
        }
      }
    }
  }

  /** Why not every pod of every Deployment runs with an IP of its own pool, or null when they do. */
  private static String unsettled(KubernetesClient client, String namespace, List<String> apps, Map<String, Integer> wanted) {
    for (String app : apps) {
      List<SpiderIPPool> pools = autoPools(client, namespace, app);
      if (pools.size() != 1) {
        return app + " has " + pools.size() + " auto-pools";
      }
      IPRanges ips = IPRanges.parse(4, pools.get(0).getSpec().ips, "ips");
      Set<String> seen = new HashSet<>();
      int running = 0;
      for (Pod p : client.pods().inNamespace(namespace).withLabel("app", app).list().getItems()) {
        String ip = p.getStatus() == null ? null : p.getStatus().getPodIP();
        if (ip == null || !ips.contains(IP.parse(ip)) || !seen.add(ip)) {
          return "pod " + p.getMetadata().getName() + " has IP " + ip + ", its pool " + pools.get(0).getMetadata().getName()
              + " has " + ips.toStrings();
        }
        running++;
      }
      if (running != wanted.getOrDefault(app, 1)) {
        return app + " runs " + running + " pods of " + wanted.getOrDefault(app, 1);
      }
    }
    return null;
  }

  /** A SpiderSubnet of that name with {@code spec} (flow-style YAML without the braces). */
  static void createSubnet(KubernetesClient client, String name, String spec) {
    client.resource(client.getKubernetesSerialization().unmarshal("apiVersion: spiderpool.spidernet.io/v2beta1\n"
        + "kind: SpiderSubnet\nmetadata: {name: " + name + "}\nspec: {" + spec + "}\n", SpiderSubnet.class)).create();
  }

  /**
   * Deletes the subnet and its pools for good, finalizers included: the controller that would remove
   * them has stopped, and a subnet left behind would refuse the next run's (same CIDR).
   */
  static void forget(KubernetesClient client, String subnet) {
    for (SpiderIPPool p : client.resources(SpiderIPPool.class).withLabel(Constants.LABEL_OWNER_SPIDER_SUBNET, subnet).list().getItems()) {
      client.resources(SpiderIPPool.class).withName(p.getMetadata().getName()).edit(x -> {
        x.getMetadata().setFinalizers(List.of());
        return x;
      });
      client.resource(p).delete();
    }
    if (client.resources(SpiderSubnet.class).withName(subnet).get() != null) {
      client.resources(SpiderSubnet.class).withName(subnet).edit(x -> {
        x.getMetadata().setFinalizers(List.of());
        return x;
      });
      client.resources(SpiderSubnet.class).withName(subnet).delete();
    }
  }

  /** Passes of the stand-in until {@code replicas} pods run; their IPs by pod. */
  private static Map<String, String> runAll(KubernetesClient client, KubeletStandIn kubelet, String namespace, int replicas)
      throws InterruptedException {
    Map<String, String> ips = new HashMap<>();
    Eventually.until(replicas + " pods run with an IP", Duration.ofSeconds(60), () -> {
      kubelet.pass(namespace);
      ips.clear();
      for (Pod p : client.pods().inNamespace(namespace).list().getItems()) {
        if (p.getMetadata().getDeletionTimestamp() == null && p.getStatus() != null && p.getStatus().getPodIP() != null) {
          ips.put(p.getMetadata().getName(), p.getStatus().getPodIP());
        }
      }
      return ips.size() == replicas;
    });
    return ips;
  }

  /** The subnet's entry for the pool holds every IP the pool has (the lock's invariant). */
  private static void assertEntryCovers(KubernetesClient client, String subnet, SpiderIPPool pool) {
    SpiderSubnet s = client.resources(SpiderSubnet.class).withName(subnet).get();
    SortedMap<String, PoolIPPreAllocation> entries = ControlledIPPools.decode(subnet, s.getStatus().controlledIPPools);
    PoolIPPreAllocation entry = entries.get(pool.getMetadata().getName());
    assertThat(entry).isNotNull();
    assertThat(IPRanges.parse(4, entry.ips(), "entry").containsAll(IPRanges.parse(4, pool.getSpec().ips, "ips"))).isTrue();
  }
}
