package io.spidernet.spiderpool.agent.it.release;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spidernet.spiderpool.testsupport.agent.AgentClient;
import io.spidernet.spiderpool.agent.it.Agents;
import io.spidernet.spiderpool.agent.it.Pods;
import io.spidernet.spiderpool.agent.it.Pools;
import io.spidernet.spiderpool.api.codec.PoolIPAllocations;
import io.spidernet.spiderpool.api.v2beta1.SpiderEndpoint;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.it.Fixtures;
import io.spidernet.spiderpool.testsupport.kube.KubeCluster;
import io.spidernet.spiderpool.testsupport.kube.LocalCluster;
import io.spidernet.spiderpool.testsupport.kube.TestNamespace;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Pool records whose endpoint was never written (an agent killed between its pool write and its
 * endpoint write) are released by the pod's DEL: by UID when the runtime gives one, and by
 * namespace/name when it does not and the pod is gone. Another incarnation's records stay.
 */
@ExtendWith(KubeCluster.class)
class OrphanRecordsIT {
  static final String NODE = "orphan-node";
  static Agents agents;
  static String pool;

  @BeforeAll
  static void start(KubernetesClient client, LocalCluster cluster, TestNamespace ns) throws Exception {
    pool = ns.unique("orphans");
    agents = Agents.start(cluster, Map.of(), NODE).withPools(client,
        Fixtures.pool(pool, "10.26.0.0/24", "10.26.0.10-10.26.0.19"));
  }

  @AfterAll
  static void stop() throws Exception {
    Agents.closeQuietly(agents);
  }

  @Test
  void aDelWithTheUidReleasesRecordsThatNoEndpointNames(KubernetesClient client, TestNamespace ns) throws Exception {
    Pod pod = Pods.onNode(client, ns.name(), NODE, "killed-mid-add", pool);
    Pools.recordDirectly(client, pool, "10.26.0.10", ns.name(), "killed-mid-add", pod.getMetadata().getUid());
    awaitCached("10.26.0.10");
    deleteNow(client, pod);

    AgentClient.Reply del = agents.del(NODE, pod);
    assertThat(del.status()).as(del.body()).isEqualTo(200);
    assertThat(Pools.records(client, pool)).as("the record without an endpoint is released").doesNotContainKey("10.26.0.10");
  }

  @Test
  void aDelWithoutUidForAGonePodReleasesEveryIncarnationOfItsNameAndItsEndpoint(KubernetesClient client,
      TestNamespace ns) throws Exception {
    Pod pod = Pods.onNode(client, ns.name(), NODE, "gone", pool);
    String ip = ip(agents.add(NODE, pod));
    Pools.recordDirectly(client, pool, "10.26.0.18", ns.name(), "gone", "a-former-incarnation");
    awaitCached("10.26.0.18");
    deleteNow(client, pod);

    AgentClient.Reply del = agents.call(NODE, HttpMethod.DELETE, "/v1/ipam/ip", AgentClient.args(pod).put("podUID", ""));
    assertThat(del.status()).as(del.body()).isEqualTo(200);
    assertThat(Pools.records(client, pool)).as("both incarnations' IPs are free").doesNotContainKeys(ip, "10.26.0.18");
    assertThat(client.resources(SpiderEndpoint.class).inNamespace(ns.name()).withName("gone").get())
        .as("the endpoint does not outlive the release").isNull();
  }

  @Test
  void aDelForAFormerIncarnationLeavesTheLiveOnesIP(KubernetesClient client, TestNamespace ns) throws Exception {
    Pod former = Pods.onNode(client, ns.name(), NODE, "same-name", pool);
    Pools.recordDirectly(client, pool, "10.26.0.19", ns.name(), "same-name", former.getMetadata().getUid());
    awaitCached("10.26.0.19");
    deleteNow(client, former);
    Pod live = Pods.onNode(client, ns.name(), NODE, "same-name", pool);
    String liveIp = ip(agents.add(NODE, live));

    assertThat(agents.call(NODE, HttpMethod.DELETE, "/v1/ipam/ip", AgentClient.args(live).put("podUID", "")).status())
        .as("DEL without a UID while a pod of that name lives").isEqualTo(200);
    assertThat(Pools.records(client, pool)).as("a DEL without a UID for a live pod releases nothing")
        .containsKeys(liveIp, "10.26.0.19");

    assertThat(agents.del(NODE, former).status()).isEqualTo(200);
    assertThat(Pools.records(client, pool)).as("the former incarnation's orphan is released, the live pod's IP stays")
        .doesNotContainKey("10.26.0.19").containsKey(liveIp);
    assertThat(Pools.records(client, pool).get(liveIp).podUid()).isEqualTo(live.getMetadata().getUid());
  }

  /** Waits until the agent's pool cache shows {@code ip} recorded (a DEL decides from what the agent knows). */
  private static void awaitCached(String ip) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      SpiderIPPool cached = agents.app(NODE).caches().pool(pool);
      if (cached != null && cached.getStatus() != null
          && PoolIPAllocations.decode(pool, cached.getStatus().allocatedIPs).containsKey(ip)) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the agent's cache never showed " + ip + " in " + pool);
  }

  private static void deleteNow(KubernetesClient client, Pod pod) {
    client.resource(pod).withGracePeriod(0).delete();
    client.resource(pod).waitUntilCondition(p -> p == null, 30, TimeUnit.SECONDS);
  }

  private static String ip(AgentClient.Reply reply) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    String cidr = new JsonObject(reply.body()).getJsonArray("ips").getJsonObject(0).getString("address");
    return cidr.substring(0, cidr.indexOf('/'));
  }
}
