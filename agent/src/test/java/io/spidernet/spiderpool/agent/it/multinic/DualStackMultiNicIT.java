package io.spidernet.spiderpool.agent.it.multinic;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spidernet.spiderpool.testsupport.agent.AgentClient;
import io.spidernet.spiderpool.agent.it.Agents;
import io.spidernet.spiderpool.api.v2beta1.SpiderEndpoint;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.agent.it.Pools;
import io.spidernet.spiderpool.it.Fixtures;
import io.spidernet.spiderpool.testsupport.kube.KubeCluster;
import io.spidernet.spiderpool.testsupport.kube.LocalCluster;
import io.spidernet.spiderpool.testsupport.kube.TestNamespace;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A dual-stack, two-NIC pod: the first ADD allocates both families on every NIC the annotation lists. */
@ExtendWith(KubeCluster.class)
class DualStackMultiNicIT {
  static final String NODE = "dual-node";
  static Agents agents;
  static List<String> pools;

  @BeforeAll
  static void start(KubernetesClient client, LocalCluster cluster, TestNamespace ns) throws Exception {
    pools = List.of(ns.unique("eth0-v4"), ns.unique("eth0-v6"), ns.unique("net1-v4"), ns.unique("net1-v6"));
    agents = Agents.start(cluster, Map.of(), NODE).withPools(client,
        Fixtures.poolWithGateway(pools.get(0), "10.60.0.0/24", "10.60.0.1", "10.60.0.10-10.60.0.20"),
        Fixtures.poolWithGateway(pools.get(1), "fd00:60::/64", "fd00:60::1", "fd00:60::10-fd00:60::20"),
        Fixtures.pool(pools.get(2), "10.61.0.0/24", "10.61.0.10-10.61.0.20"),
        Fixtures.pool(pools.get(3), "fd00:61::/64", "fd00:61::10-fd00:61::20"));
  }

  @AfterAll
  static void stop() throws Exception {
    Agents.closeQuietly(agents);
  }

  @Test
  void theFirstAddAllocatesEveryNicInBothFamilies(KubernetesClient client, TestNamespace ns) throws Exception {
    String annotation = "[{\"interface\":\"eth0\",\"ipv4\":[\"" + pools.get(0) + "\"],\"ipv6\":[\"" + pools.get(1) + "\"]},"
        + "{\"interface\":\"net1\",\"ipv4\":[\"" + pools.get(2) + "\"],\"ipv6\":[\"" + pools.get(3) + "\"],\"cleangateway\":true}]";
    Pod pod = client.resource(new PodBuilder().withNewMetadata().withName("dual").withNamespace(ns.name())
        .addToAnnotations("ipam.spidernet.io/ippools", annotation)
        .addToAnnotations("ipam.spidernet.io/routes", "[{\"dst\":\"10.99.0.0/16\",\"gw\":\"10.61.0.1\"}]").endMetadata()
        .withNewSpec().withNodeName(NODE).addNewContainer().withName("c").withImage("nginx").endContainer().endSpec()
        .build()).create();

    AgentClient.Reply eth0 = agents.call(NODE, HttpMethod.POST, "/v1/ipam/ip",
        AgentClient.addArgs(ns.name(), "dual", pod.getMetadata().getUid(), "eth0"));
    assertThat(eth0.status()).as(eth0.body()).isEqualTo(200);
    JsonArray ips = eth0.json().getJsonArray("ips");
    assertThat(ips.stream().map(o -> ((JsonObject) o).getString("nic") + " " + ((JsonObject) o).getString("address")))
        .containsExactlyInAnyOrder("eth0 10.60.0.10/24", "eth0 fd00:60::10/64", "net1 10.61.0.10/24", "net1 fd00:61::10/64");
    JsonArray routes = eth0.json().getJsonArray("routes");
    assertThat(routes.stream().map(o -> ((JsonObject) o).getString("ifName") + " " + ((JsonObject) o).getString("dst")
            + " via " + ((JsonObject) o).getString("gw")))
        .as("default routes via eth0's gateways; net1 is cleangateway; the annotation's route goes to net1")
        .containsExactlyInAnyOrder("eth0 0.0.0.0/0 via 10.60.0.1", "eth0 ::/0 via fd00:60::1", "net1 10.99.0.0/16 via 10.61.0.1");

    AgentClient.Reply net1 = agents.call(NODE, HttpMethod.POST, "/v1/ipam/ip",
        AgentClient.addArgs(ns.name(), "dual", pod.getMetadata().getUid(), "net1"));
    assertThat(net1.json().getJsonArray("ips")).as("the later ADD for net1 reads what the first allocated").isEqualTo(ips);

    SpiderEndpoint se = client.resources(SpiderEndpoint.class).inNamespace(ns.name()).withName("dual").get();
    assertThat(se.getStatus().current.ips).extracting(d -> d.nic + " " + d.ipv4 + " " + d.ipv6)
        .containsExactly("eth0 10.60.0.10/24 fd00:60::10/64", "net1 10.61.0.10/24 fd00:61::10/64");
  }
}
