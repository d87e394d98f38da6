package io.spidernet.spiderpool.agent.it.crosszone;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spidernet.spiderpool.testsupport.agent.AgentClient;
import io.spidernet.spiderpool.testsupport.agent.KubeletStandIn;
import io.spidernet.spiderpool.agent.it.Agents;
import io.spidernet.spiderpool.api.v2beta1.SpiderEndpoint;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.testsupport.SeedDocument;
import io.spidernet.spiderpool.testsupport.SeedDocuments;
import io.spidernet.spiderpool.testsupport.kube.KubeCluster;
import io.spidernet.spiderpool.testsupport.kube.Kubectl;
import io.spidernet.spiderpool.testsupport.kube.LocalCluster;
import io.spidernet.spiderpool.testsupport.kube.TestNamespace;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Seed 000 end to end on the real control plane: the guide's DaemonSet (unchanged) runs a pod on
 * each zone's node, and each pod gets an IP from the pool pinned to its node by two agents.
 */
@ExtendWith(KubeCluster.class)
class CrossZoneIT {
  static final Map<String, String> NODE_SUBNET = Map.of("controller-node-1", "subnet-6", "worker-node-1", "subnet-7");
  static Agents agents;

  @BeforeAll
  static void startAgents(KubernetesClient client, LocalCluster cluster) throws Exception {
    System.setProperty("kubeconfig", cluster.kubeconfig().toString());
    for (Map.Entry<String, String> n : NODE_SUBNET.entrySet()) {
      client.resource(new NodeBuilder().withNewMetadata().withName(n.getKey()).addToLabels("node-subnet", n.getValue())
          .endMetadata().build()).fieldManager("crosszone-it").forceConflicts().serverSideApply();
    }
    for (SeedDocument pool : seed000("SpiderIPPool")) {
      client.resources(SpiderIPPool.class).withName(pool.name()).withGracePeriod(0).delete();
      client.resources(SpiderIPPool.class).withName(pool.name()).waitUntilCondition(p -> p == null, 30, TimeUnit.SECONDS);
      client.resource(pool.yaml()).create();
    }
    agents = Agents.start(cluster, Map.of(), "controller-node-1", "worker-node-1");
  }

  @AfterAll
  static void stopAgents(KubernetesClient client) throws Exception {
    if (agents != null) {
      agents.close();
    }
    for (SeedDocument pool : seed000("SpiderIPPool")) {
      client.resources(SpiderIPPool.class).withName(pool.name()).delete();
    }
  }

  @Test
  void eachPodGetsAnIPFromItsOwnNodesPool(KubernetesClient client, TestNamespace ns, Kubectl kubectl) throws Exception {
    SeedDocument daemonSet = SeedDocuments.all().stream()
        .filter(d -> d.seed().startsWith("000") && d.kind().equals("DaemonSet")).findFirst().orElseThrow();
    client.resource(daemonSet.yaml()).inNamespace(ns.name()).create();
    List<Pod> pods = client.pods().inNamespace(ns.name()).withLabel("app", "test-app")
        .informOnCondition(list -> list.size() == 2).get(60, TimeUnit.SECONDS);
    Map<String, String> ipByNode = new HashMap<>();
    for (Pod pod : pods) {
      String node = KubeletStandIn.bindToItsNode(client, pod);
      JsonObject add = AgentClient.args(pod);
      AgentClient.Reply reply = agents.call(node, HttpMethod.POST, "/v1/ipam/ip", add);
      assertThat(reply.status()).as(reply.body()).isEqualTo(200);
      JsonObject ip = reply.json().getJsonArray("ips").getJsonObject(0);
      String zone = NODE_SUBNET.get(node).substring("subnet-".length());
      assertThat(ip.getString("ipPool")).isEqualTo("test-ippool-" + zone);
      assertThat(ip.getString("address")).startsWith("10." + zone + ".168.6").endsWith("/16");
      assertThat(ip.getString("gateway")).isEqualTo("10." + zone + ".0.1");
      assertThat(ip.getString("nic")).isEqualTo("eth0");
      assertThat(ip.getInteger("version")).isEqualTo(4);
      assertThat(reply.json().getJsonArray("routes").getJsonObject(0).getMap())
          .containsEntry("dst", "0.0.0.0/0").containsEntry("gw", "10." + zone + ".0.1").containsEntry("ifName", "eth0");
      ipByNode.put(node, ip.getString("address"));

      AgentClient.Reply retry = agents.call(node, HttpMethod.POST, "/v1/ipam/ip", add);
      assertThat(retry.json().getJsonArray("ips").getJsonObject(0).getString("address"))
          .as("a retried ADD gets the same IP").isEqualTo(ip.getString("address"));

      SpiderEndpoint se = client.resources(SpiderEndpoint.class).inNamespace(ns.name()).withName(pod.getMetadata().getName()).get();
      assertThat(se.getStatus().current.uid).isEqualTo(pod.getMetadata().getUid());
      assertThat(se.getStatus().current.node).isEqualTo(node);
      assertThat(se.getStatus().ownerControllerType).isEqualTo("DaemonSet");
      assertThat(se.getStatus().ownerControllerName).isEqualTo("test-app");
      assertThat(se.getMetadata().getOwnerReferences().get(0).getUid()).isEqualTo(pod.getMetadata().getUid());
    }
    assertThat(ipByNode).hasSize(2);

    // As in the guide: ALLOCATED-IP-COUNT 1 and TOTAL-IP-COUNT 10 on each pool. VERSION stays empty
    // until the mutating webhook infers spec.ipVersion (the seed's pools leave it out).
    List<String> table = kubectl.run("get", "spiderippool", "test-ippool-6", "test-ippool-7").lines().toList();
    assertThat(table.get(1).split("\\s+")).containsExactly("test-ippool-6", "10.6.0.0/16", "1", "10", "false");
    assertThat(table.get(2).split("\\s+")).containsExactly("test-ippool-7", "10.7.0.0/16", "1", "10", "false");
  }

  static List<SeedDocument> seed000(String kind) {
    return SeedDocuments.all().stream().filter(d -> d.seed().startsWith("000") && d.kind().equals(kind)).toList();
  }
}
