package io.spidernet.spiderpool.agent.it.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spidernet.spiderpool.testsupport.agent.AgentClient;
import io.spidernet.spiderpool.agent.it.Agents;
import io.spidernet.spiderpool.agent.it.Pods;
import io.spidernet.spiderpool.agent.it.Pools;
import io.spidernet.spiderpool.testsupport.kube.TcpProxy;
import io.spidernet.spiderpool.api.v2beta1.SpiderEndpoint;
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
 * The API server goes away while the agent runs (its caches stay warm): an ADD fails at once with an
 * error that names the API server, the object and the reason, as a transient failure (CNI code 11,
 * so the runtime retries), and leaves nothing behind; a DEL fails the same way and releases nothing;
 * once the API server is back the retry gets one IP. The agent reaches the real API server through a TCP proxy the test cuts and restores.
 */
@ExtendWith(KubeCluster.class)
class ApiServerDownIT {
  static final String NODE = "apiserver-down-node";
  static TcpProxy proxy;
  static Agents agents;
  static String pool;

  @BeforeAll
  static void start(KubernetesClient client, LocalCluster cluster, TestNamespace ns) throws Exception {
    proxy = TcpProxy.inFrontOf(cluster);
    pool = ns.unique("down");
    // A deadline far below fabric8's default retries of an unreachable server (~100 s): the ADD must
    // fail by itself, not by running out of time.
    agents = Agents.start(cluster, Map.of("KUBECONFIG", proxy.kubeconfig().toString(), "SPIDERPOOL_IPAM_REQUEST_TIMEOUT", "10"), NODE)
        .withPools(client, Fixtures.pool(pool, "10.73.0.0/24", "10.73.0.10-10.73.0.20"));
  }

  @AfterAll
  static void stop() throws Exception {
    Agents.closeQuietly(agents);
    TcpProxy.closeQuietly(proxy);
  }

  @Test
  void anAddWithTheApiServerDownFailsNamingItAndTheRetryGetsOneIP(KubernetesClient client, TestNamespace ns)
      throws Exception {
    Pod before = Pods.onNode(client, ns.name(), NODE, "before", pool);
    Pod during = Pods.onNode(client, ns.name(), NODE, "during", pool);
    assertThat(agents.add(NODE, before).status()).as("the agent works through the proxy").isEqualTo(200);
    // The agent knows the pod from its cache, so the ADD fails at the pool write, not at reading the pod.
    awaitCached(ns.name(), "during");

    proxy.cut();
    try {
      AgentClient.Reply refused = agents.add(NODE, during);
      assertThat(refused.status()).isEqualTo(500);
      assertThat(refused.body()).as("names what failed and why")
          .contains("Kubernetes API server", "127.0.0.1:" + proxy.port(), pool);
      assertThat(refused.body()).as("it fails, rather than waiting out the deadline").doesNotContain("did not finish");

      JsonObject cni = cni("ADD", during);
      assertThat(cni.getInteger("exitCode")).as(cni.getString("stdout")).isEqualTo(11);
      assertThat(new JsonObject(cni.getString("stdout")).getString("msg")).contains("Kubernetes API server");

      // DEL cannot tell whether the pod still lives: it fails for the runtime to retry, releasing nothing.
      JsonObject del = cni("DEL", before);
      assertThat(del.getInteger("exitCode")).as(del.getString("stdout")).isEqualTo(11);
      assertThat(new JsonObject(del.getString("stdout")).getString("msg")).contains("Kubernetes API server");
    } finally {
      proxy.restore();
    }

    AgentClient.Reply retried = agents.add(NODE, during);
    assertThat(retried.status()).as(retried.body()).isEqualTo(200);
    assertThat(Pools.records(client, pool).values()).as("one record per pod, nothing left by the failures")
        .extracting(r -> r.podUid())
        .containsExactlyInAnyOrder(before.getMetadata().getUid(), during.getMetadata().getUid());
    assertThat(client.resources(SpiderEndpoint.class).inNamespace(ns.name()).withName("during").get()
        .getStatus().current.ips).singleElement()
        .satisfies(d -> assertThat(retried.json().getJsonArray("ips").getJsonObject(0).getString("address"))
            .isEqualTo(d.ipv4));
  }

  @Test
  void anAddAgainstABlackHoledApiServerFailsNamingItBeforeItsDeadline(KubernetesClient client, TestNamespace ns)
      throws Exception {
    Pod pod = Pods.onNode(client, ns.name(), NODE, "blackholed", pool);
    awaitCached(ns.name(), "blackholed");
    proxy.blackhole();
    try {
      AgentClient.Reply refused = agents.add(NODE, pod);
      assertThat(refused.status()).isEqualTo(500);
      assertThat(refused.body()).as("names the server and that it did not answer")
          .contains("Kubernetes API server", "127.0.0.1:" + proxy.port(), "unreachable");
      assertThat(refused.body()).as("the call's own deadline fired, not the request's (10 s here)")
          .doesNotContain("did not finish");
    } finally {
      proxy.heal();
    }
    AgentClient.Reply retried = agents.add(NODE, pod);
    assertThat(retried.status()).as(retried.body()).isEqualTo(200);
    assertThat(Pools.records(client, pool).values()).as("one record for the pod")
        .filteredOn(r -> r.podUid().equals(pod.getMetadata().getUid())).hasSize(1);
  }

  /** Waits until the agent's cache has the pod, so that an ADD fails at the pool write, not at reading the pod. */
  private static void awaitCached(String namespace, String name) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (agents.app(NODE).caches().pod(namespace, name) == null && System.nanoTime() < until) {
      Thread.sleep(20);
    }
  }

  private static JsonObject cni(String command, Pod pod) throws Exception {
    String conf = "{\"cniVersion\":\"1.0.0\",\"name\":\"macvlan-conf\",\"type\":\"macvlan\",\"ipam\":{\"type\":\"spiderpool\"}}";
    AgentClient.Reply reply = agents.call(NODE, HttpMethod.POST, "/v1/cni",
        AgentClient.cniCall(command, pod, "c-" + pod.getMetadata().getUid(), conf));
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return reply.json();
  }
}
