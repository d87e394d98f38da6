package io.spidernet.spiderpool.controller.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spidernet.spiderpool.api.Constants;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.api.v2beta1.SpiderSubnet;
import io.spidernet.spiderpool.testsupport.Eventually;
import io.spidernet.spiderpool.testsupport.RepoDir;
import io.spidernet.spiderpool.testsupport.SeedDocuments;
import io.spidernet.spiderpool.testsupport.agent.AgentClient;
import io.spidernet.spiderpool.testsupport.agent.AgentProcess;
import io.spidernet.spiderpool.testsupport.agent.KubeletStandIn;
import io.spidernet.spiderpool.testsupport.kube.KubeCluster;
import io.spidernet.spiderpool.testsupport.kube.LocalCluster;
import io.spidernet.spiderpool.testsupport.kube.TestNamespace;
import io.spidernet.spiderpool.webhook.rules.WebhookConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.io.FileInputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Seed 002 end to end (examples/subnet-zones): per-zone SpiderSubnets adopt the zones' pools (pinned
 * by nodeAffinity), and the DaemonSet's pod on each zone's node gets an IP of that zone's pool, with
 * the real controller, one real agent per node and kube-controller-manager's DaemonSet controller.
 * The document's DaemonSet unchanged names a subnet that does not exist: the controller says so on
 * the DaemonSet and the agent's ADD fails naming the subnet and the DaemonSet.
 */
@ExtendWith(KubeCluster.class)
class SubnetZonesIT {
  private static final Map<String, String> ZONES = Map.of("controller-node-1", "6", "worker-node-1", "7");

  @Test
  void eachZonesPodGetsAnIPOfItsZonesPoolAndAMissingSubnetIsNamed(LocalCluster cluster, KubernetesClient client, TestNamespace ns)
      throws Exception {
    for (Map.Entry<String, String> z : ZONES.entrySet()) {
      client.resource(new NodeBuilder().withNewMetadata().withName(z.getKey()).addToLabels("node-subnet", "subnet-" + z.getValue())
          .endMetadata().build()).fieldManager("subnet-zones-it").forceConflicts().serverSideApply();
    }
    Vertx vertx = Vertx.vertx();
    Map<String, String> fast = Map.of("SPIDERPOOL_WAIT_SUBNET_POOL_TIME_IN_SECOND", "1", "SPIDERPOOL_WAIT_SUBNET_POOL_MAX_RETRIES", "3");
    try (Controllers controllers = Controllers.start(cluster, client, ns.name(), Map.of(), WebhookConfig.defaults());
        AgentProcess zone6 = AgentProcess.start(AgentProcess.jar(), "controller-node-1", cluster.kubeconfig(),
            Files.createTempDirectory("zone6"), fast);
        AgentProcess zone7 = AgentProcess.start(AgentProcess.jar(), "worker-node-1", cluster.kubeconfig(),
            Files.createTempDirectory("zone7"), fast)) {
      Map<String, AgentClient> agents = Map.of("controller-node-1", new AgentClient(vertx, zone6.socket()),
          "worker-node-1", new AgentClient(vertx, zone7.socket()));
      apply(client, "examples/subnet-zones/subnets.yaml", null);
      apply(client, "examples/subnet-zones/ippools.yaml", null);
      for (String zone : ZONES.values()) {
        Eventually.until("subnet-" + zone + " controls test-ippool-" + zone + " and counts its 10 IPs", Duration.ofSeconds(30), () -> {
          SpiderSubnet s = client.resources(SpiderSubnet.class).withName("subnet-" + zone).get();
          return s.getStatus() != null && Long.valueOf(10).equals(s.getStatus().allocatedIPCount)
              && s.getStatus().controlledIPPools != null && s.getStatus().controlledIPPools.contains("test-ippool-" + zone);
        });
        SpiderIPPool pool = client.resources(SpiderIPPool.class).withName("test-ippool-" + zone).get();
        assertThat(pool.getMetadata().getLabels()).containsEntry(Constants.LABEL_OWNER_SPIDER_SUBNET, "subnet-" + zone);
      }

      apply(client, "examples/subnet-zones/daemonset.yaml", ns.name());
      Map<String, String> ipByNode = new HashMap<>();
      for (Pod pod : pods(client, ns.name(), "test-app")) {
        String node = KubeletStandIn.bindToItsNode(client, pod);
        AgentClient.Reply reply = agents.get(node).call(HttpMethod.POST, "/v1/ipam/ip", AgentClient.args(pod))
            .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        String zone = ZONES.get(node);
        assertThat(reply.json().getJsonArray("ips").getJsonObject(0).getString("ipPool")).isEqualTo("test-ippool-" + zone);
        ipByNode.put(node, reply.json().getJsonArray("ips").getJsonObject(0).getString("address"));
      }
      assertThat(ipByNode).containsOnlyKeys("controller-node-1", "worker-node-1");
      assertThat(ipByNode.get("controller-node-1")).startsWith("10.6.168.6");
      assertThat(ipByNode.get("worker-node-1")).startsWith("10.7.168.6");

      // The document's DaemonSet, unchanged: its subnet does not exist.
      String seedDaemonSet = SeedDocuments.all().stream().filter(d -> d.seed().startsWith("002") && d.kind().equals("DaemonSet"))
          .findFirst().orElseThrow().yaml().replace("name: test-app\n", "name: as-written\n").replace("app: test-app", "app: as-written");
      client.resource(seedDaemonSet).inNamespace(ns.name()).create();
      Eventually.until("the controller says the subnet does not exist, on the DaemonSet", Duration.ofSeconds(30), () ->
          client.v1().events().inNamespace(ns.name()).list().getItems().stream().anyMatch(e -> "AutoIPPoolFailed".equals(e.getReason())
              && e.getMessage().equals("SpiderSubnet default-v4-subnet named by DaemonSet " + ns.name() + "/as-written does not exist")));
      Pod pod = pods(client, ns.name(), "as-written").get(0);
      String node = KubeletStandIn.bindToItsNode(client, pod);
      AgentClient.Reply refused = agents.get(node).call(HttpMethod.POST, "/v1/ipam/ip", AgentClient.args(pod))
          .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      assertThat(refused.status()).isNotEqualTo(200);
      assertThat(refused.body()).contains("no auto-pool IPv4 of SpiderSubnet default-v4-subnet for interface eth0 of DaemonSet "
          + ns.name() + "/as-written appeared within 3 s");
    } finally {
      for (String zone : ZONES.values()) {
        client.resources(SpiderIPPool.class).withName("test-ippool-" + zone).edit(p -> {
          p.getMetadata().setFinalizers(List.of());
          return p;
        });
        client.resources(SpiderIPPool.class).withName("test-ippool-" + zone).delete();
        AutoPoolIT.forget(client, "subnet-" + zone);
      }
      vertx.close();
    }
  }

  private static void apply(KubernetesClient client, String file, String namespace) throws Exception {
    try (FileInputStream in = new FileInputStream(RepoDir.resolve(file).toFile())) {
      for (HasMetadata o : client.load(in).items()) {
        if (namespace != null) {
          o.getMetadata().setNamespace(namespace);
        }
        client.resource(o).create();
      }
    }
  }

  private static List<Pod> pods(KubernetesClient client, String namespace, String app) throws Exception {
    return client.pods().inNamespace(namespace).withLabel("app", app).informOnCondition(list -> list.size() == ZONES.size())
        .get(60, TimeUnit.SECONDS);
  }
}
