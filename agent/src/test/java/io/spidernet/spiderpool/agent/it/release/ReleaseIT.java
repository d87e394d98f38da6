package io.spidernet.spiderpool.agent.it.release;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spidernet.spiderpool.testsupport.agent.AgentClient;
import io.spidernet.spiderpool.agent.it.Agents;
import io.spidernet.spiderpool.agent.it.Pods;
import io.spidernet.spiderpool.agent.it.Pools;
import io.spidernet.spiderpool.api.v2beta1.SpiderEndpoint;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.it.Fixtures;
import io.spidernet.spiderpool.testsupport.kube.KubeCluster;
import io.spidernet.spiderpool.testsupport.kube.LocalCluster;
import io.spidernet.spiderpool.testsupport.kube.TestNamespace;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * CNI DEL keeps a live pod's IP, frees a deleted pod's IP for the next pod, and succeeds when there
 * is nothing to release; bad requests get errors naming the object and the reason.
 */
@ExtendWith(KubeCluster.class)
class ReleaseIT {
  static final String NODE = "release-node";
  static Agents agents;
  static String pool;

  @BeforeAll
  static void start(KubernetesClient client, LocalCluster cluster, TestNamespace ns) throws Exception {
    pool = ns.unique("two-ips");
    SpiderIPPool p = Fixtures.poolWithGateway(pool, "10.20.0.0/24", "10.20.0.1", "10.20.0.10-10.20.0.11");
    p.getSpec().nodeName = List.of(NODE);
    agents = Agents.start(cluster, Map.of(), NODE).withPools(client, p);
  }

  @AfterAll
  static void stop() throws Exception {
    Agents.closeQuietly(agents);
  }

  @Test
  void delKeepsALivePodsIPAndFreesADeletedOnesForTheNextPod(KubernetesClient client, TestNamespace ns) throws Exception {
    Pod first = pod(client, ns, "first", pool);
    String ip = address(add(first));
    assertThat(ip).isEqualTo("10.20.0.10/24");

    assertThat(agents.del(NODE, first).status()).as("DEL of a live pod").isEqualTo(200);
    assertThat(records(client)).as("a live pod keeps its IP").containsOnlyKeys("10.20.0.10");

    client.resource(first).withGracePeriod(0).delete();
    client.resource(first).waitUntilCondition(p -> p == null, 30, TimeUnit.SECONDS);
    assertThat(agents.del(NODE, first).status()).isEqualTo(200);
    assertThat(records(client)).as("the deleted pod's IP is free").isEmpty();
    client.resources(SpiderEndpoint.class).inNamespace(ns.name()).withName("first")
        .waitUntilCondition(se -> se == null, 60, TimeUnit.SECONDS);
    assertThat(agents.del(NODE, first).status()).as("DEL twice").isEqualTo(200);

    Pod second = pod(client, ns, "second", pool);
    assertThat(address(add(second))).as("the freed IP is handed out again").isEqualTo("10.20.0.10/24");
  }

  @Test
  void anExhaustedPoolFailsFastNamingThePool(KubernetesClient client, TestNamespace ns) throws Exception {
    Pod a = pod(client, ns, "ex-a", pool);
    Pod b = pod(client, ns, "ex-b", pool);
    Pod c = pod(client, ns, "ex-c", pool);
    add(a);
    add(b);
    AgentClient.Reply full = agents.add(NODE, c);
    assertThat(full.status()).isEqualTo(500);
    assertThat(full.body()).contains("failed to allocate any IPv4 IP address to NIC eth0 from IPPools [" + pool + "]",
        "all IP addresses used out: IPPool " + pool + " has 2 of 2 IPs allocated");
    for (Pod p : List.of(a, b)) {
      client.resource(p).withGracePeriod(0).delete();
      client.resource(p).waitUntilCondition(x -> x == null, 30, TimeUnit.SECONDS);
      agents.del(NODE, p);
    }
  }

  @Test
  void badRequestsSayWhatIsWrong(KubernetesClient client, TestNamespace ns) throws Exception {
    JsonObject withoutUid = AgentClient.addArgs(ns.name(), "x", "u", "eth0");
    withoutUid.remove("podUID");
    AgentClient.Reply noUid = agents.call(NODE, HttpMethod.POST, "/v1/ipam/ip", withoutUid);
    assertThat(noUid.status()).as("go-openapi's answer to a missing required field").isEqualTo(422);
    assertThat(new JsonObject(noUid.body())).isEqualTo(new JsonObject().put("code", 602)
        .put("message", "podUID in body is required"));

    AgentClient.Reply notJson = agents.callAsync(NODE, HttpMethod.POST, "/v1/ipam/ip", null)
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertThat(notJson.status()).isEqualTo(400);
    assertThat(new JsonObject(notJson.body()).getString("message")).contains("IpamAddArgs");

    AgentClient.Reply unknownPod = agents.call(NODE, HttpMethod.POST, "/v1/ipam/ip",
        AgentClient.addArgs(ns.name(), "ghost", "u-ghost", "eth0"));
    assertThat(unknownPod.body()).contains("pod " + ns.name() + "/ghost not found");

    AgentClient.Reply missing = agents.add(NODE, Pods.onNode(client, ns.name(), NODE, "elsewhere", pool, "missing-pool"));
    assertThat(missing.body()).contains("failed to get original IPPool missing-pool: not found");

    AgentClient.Reply bad = agents.add(NODE, Pods.withAnnotation(client, ns.name(), NODE, "bad-annotation", "{\"ipv4\":"));
    assertThat(bad.body()).contains("wrong input, pod " + ns.name() + "/bad-annotation: invalid annotation ipam.spidernet.io/ippool=");

    AgentClient.Reply huge = agents.call(NODE, HttpMethod.POST, "/v1/ipam/ip",
        AgentClient.addArgs(ns.name(), "huge", "u-huge", "eth0").put("padding", "x".repeat(2 * 1024 * 1024)));
    assertThat(huge.status()).isEqualTo(413);
    assertThat(huge.body()).isEqualTo("\"POST /v1/ipam/ip failed: the request body is over the limit of 1048576 bytes\"");

    AgentClient.Reply unknownDel = agents.call(NODE, HttpMethod.DELETE, "/v1/ipam/ip",
        AgentClient.addArgs(ns.name(), "never-existed", "u-never", "eth0"));
    assertThat(unknownDel.status()).as("DEL of an unknown container").isEqualTo(200);
  }

  @Test
  void aPoolPinnedToAnotherNodeIsFilteredWithItsReason(KubernetesClient client, TestNamespace ns) throws Exception {
    String other = ns.unique("other-node");
    SpiderIPPool p = Fixtures.pool(other, "10.21.0.0/24", "10.21.0.10");
    p.getSpec().nodeName = List.of("some-other-node");
    client.resource(p).create();
    try {
      Pod pod = pod(client, ns, "pinned", other);
      AgentClient.Reply reply = agents.add(NODE, pod);
      assertThat(reply.status()).isEqualTo(500);
      assertThat(reply.body()).contains("no IPPool available, all IPv4 IPPools [" + other + "] of eth0 filtered out",
          "unmatched Node name of IPPool " + other + ": node " + NODE + " is not in [some-other-node]");
    } finally {
      client.resource(p).delete();
    }
  }

  private static Pod pod(KubernetesClient client, TestNamespace ns, String name, String poolName) {
    return Pods.onNode(client, ns.name(), NODE, name, poolName);
  }

  private static JsonObject add(Pod pod) throws Exception {
    AgentClient.Reply reply = agents.add(NODE, pod);
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return reply.json();
  }

  private static String address(JsonObject add) {
    return add.getJsonArray("ips").getJsonObject(0).getString("address");
  }

  private static Map<String, ?> records(KubernetesClient client) {
    return Pools.records(client, pool);
  }
}
