package io.spidernet.spiderpool.agent.it.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spidernet.spiderpool.testsupport.agent.AgentClient;
import io.spidernet.spiderpool.agent.it.Agents;
import io.spidernet.spiderpool.api.v2beta1.CoordinatorSpec;
import io.spidernet.spiderpool.api.v2beta1.CoordinatorStatus;
import io.spidernet.spiderpool.api.v2beta1.SpiderCoordinator;
import io.spidernet.spiderpool.testsupport.kube.KubeCluster;
import io.spidernet.spiderpool.testsupport.kube.LocalCluster;
import io.spidernet.spiderpool.testsupport.kube.TestNamespace;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The coordinator plugin gets its settings from the agent once the SpiderCoordinator is Synced. */
@ExtendWith(KubeCluster.class)
class CoordinatorConfigIT {
  static final String NODE = "coordinator-node";
  static Agents agents;

  @BeforeAll
  static void start(LocalCluster cluster) throws Exception {
    agents = Agents.start(cluster, Map.of(), NODE);
  }

  @AfterAll
  static void stop(KubernetesClient client) throws Exception {
    Agents.closeQuietly(agents);
    client.resources(SpiderCoordinator.class).withName("default").delete();
  }

  @Test
  void answersOnceSyncedWithThePodsDefaultRouteNic(KubernetesClient client, TestNamespace ns) throws Exception {
    SpiderCoordinator c = new SpiderCoordinator();
    c.getMetadata().setName("default");
    CoordinatorSpec spec = new CoordinatorSpec();
    spec.podCIDRType = "auto";
    spec.hijackCIDR = List.of("10.243.0.0/18", "172.111.0.0/16"); // seed 003
    c.setSpec(spec);
    c = client.resource(c).create();
    CoordinatorStatus status = new CoordinatorStatus();
    status.phase = "NotReady";
    status.reason = "no service CIDR found yet";
    c.setStatus(status);
    c = client.resource(c).updateStatus();

    AgentClient.Reply notReady = agents.call(NODE, HttpMethod.GET, "/v1/coordinator/config", null);
    assertThat(notReady.status()).isEqualTo(500);
    assertThat(notReady.body()).contains("spidercoordinator: default no ready: no service CIDR found yet");

    c.getStatus().phase = "Synced";
    c.getStatus().reason = null;
    c.getStatus().serviceCIDR = List.of("10.96.0.0/16");
    client.resource(c).updateStatus();
    client.resource(new PodBuilder().withNewMetadata().withName("two-nics").withNamespace(ns.name())
        .addToAnnotations("ipam.spidernet.io/default-route-nic", "net1").endMetadata()
        .withNewSpec().withNodeName(NODE).addNewContainer().withName("c").withImage("nginx").endContainer().endSpec()
        .build()).create();

    AgentClient.Reply synced = agents.call(NODE, HttpMethod.GET, "/v1/coordinator/config",
        new JsonObject().put("podNamespace", ns.name()).put("podName", "two-nics"));
    assertThat(synced.status()).as(synced.body()).isEqualTo(200);
    JsonObject config = synced.json();
    assertThat(config.getString("mode")).as("CRD default").isEqualTo("auto");
    assertThat(config.getJsonArray("serviceCIDR").getList()).containsExactly("10.96.0.0/16");
    assertThat(config.getJsonArray("overlayPodCIDR").getList()).as("always sent").isEmpty();
    assertThat(config.getJsonArray("hijackCIDR").getList()).containsExactly("10.243.0.0/18", "172.111.0.0/16");
    assertThat(config.getBoolean("tunePodRoutes")).isTrue();
    assertThat(config.getInteger("hostRuleTable")).isEqualTo(500);
    assertThat(config.getString("podDefaultRouteNIC")).as("the pod's annotation").isEqualTo("net1");
  }
}
