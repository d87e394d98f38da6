package io.spidernet.spiderpool.agent.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spidernet.spiderpool.agent.it.Agents;
import io.spidernet.spiderpool.agent.it.NetnsCni;
import io.spidernet.spiderpool.agent.it.Pools;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.it.Fixtures;
import io.spidernet.spiderpool.testsupport.kube.KubeCluster;
import io.spidernet.spiderpool.testsupport.kube.LocalCluster;
import io.spidernet.spiderpool.testsupport.kube.TestNamespace;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Seed 000 through the real macvlan plugin: a node per zone, each with its own network namespace,
 * agent and pool; each pod's namespace gets an address from its own node's pool.
 */
@ExtendWith(KubeCluster.class)
class CrossZoneMacvlanIT {
  static final String RUN = UUID.randomUUID().toString().substring(0, 6);
  static final Map<String, String> ZONE = Map.of("controller-node-1", "6", "worker-node-1", "7");
  static Agents agents;
  static NetnsCni controller;
  static NetnsCni worker;
  static String poolPrefix;

  @BeforeAll
  static void start(KubernetesClient client, LocalCluster cluster, TestNamespace ns) throws Exception {
    poolPrefix = ns.unique("test-ippool");
    SpiderIPPool six = Fixtures.poolWithGateway(poolPrefix + "-6", "10.6.0.0/16", "10.6.0.1", "10.6.168.60-10.6.168.69");
    six.getSpec().nodeName = List.of("controller-node-1");
    SpiderIPPool seven = Fixtures.poolWithGateway(poolPrefix + "-7", "10.7.0.0/16", "10.7.0.1", "10.7.168.60-10.7.168.69");
    seven.getSpec().nodeName = List.of("worker-node-1");
    agents = Agents.start(cluster, Map.of(), "controller-node-1", "worker-node-1").withPools(client, six, seven);
    controller = NetnsCni.create("spj-cz6-" + RUN);
    worker = NetnsCni.create("spj-cz7-" + RUN);
  }

  @AfterAll
  static void stop() throws Exception {
    Agents.closeQuietly(agents);
    for (NetnsCni n : new NetnsCni[] {controller, worker}) {
      if (n != null) {
        n.close();
      }
    }
  }

  @Test
  void eachPodNamespaceGetsItsZonesAddress(KubernetesClient client, TestNamespace ns) throws Exception {
    for (Map.Entry<String, String> node : ZONE.entrySet()) {
      NetnsCni runtime = node.getKey().equals("controller-node-1") ? controller : worker;
      Pod pod = client.resource(new PodBuilder().withNewMetadata().withName("test-app-" + node.getValue())
          .withNamespace(ns.name()).endMetadata().withNewSpec().withNodeName(node.getKey())
          .addNewContainer().withName("c").withImage("nginx").endContainer().endSpec().build()).create();
      String podNs = "spj-czpod" + node.getValue() + "-" + RUN;
      runtime.netns(podNs);
      // As in the guide, the pod lists both pools; the node decides which one serves it.
      String conf = NetnsCni.macvlanConf("1.0.0", poolPrefix + "-6", agents.socket(node.getKey()), null)
          .replace("\"default_ipv4_ippool\":[\"" + poolPrefix + "-6\"]",
              "\"default_ipv4_ippool\":[\"" + poolPrefix + "-6\",\"" + poolPrefix + "-7\"]");
      NetnsCni.Run add = runtime.run("macvlan", "ADD", pod, podNs, conf);
      assertThat(add.exit()).as(add.stdout()).isZero();
      String address = new JsonObject(add.stdout()).getJsonArray("ips").getJsonObject(0).getString("address");
      assertThat(address).isEqualTo("10." + node.getValue() + ".168.60/16");
      assertThat(NetnsCni.sh("ip", "-n", podNs, "-4", "addr", "show", "dev", "eth0")).contains("inet " + address);
      assertThat(NetnsCni.sh("ip", "-n", podNs, "route")).contains("default via 10." + node.getValue() + ".0.1");
    }
  }
}
