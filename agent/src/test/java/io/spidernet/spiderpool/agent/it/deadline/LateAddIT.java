package io.spidernet.spiderpool.agent.it.deadline;

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
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An ADD that answers after its deadline undoes only what it took itself: a retry that found the
 * pod's IP already held (the runtime retries an ADD whose answer it never got) must not release
 * that IP nor delete the pod's endpoint when it finishes late.
 */
@ExtendWith(KubeCluster.class)
class LateAddIT {
  static final String NODE = "late-add-node";
  static TcpProxy proxy;
  static Agents agents;
  static String pool;

  @BeforeAll
  static void start(KubernetesClient client, LocalCluster cluster, TestNamespace ns) throws Exception {
    proxy = TcpProxy.inFrontOf(cluster);
    pool = ns.unique("late");
    agents = Agents.start(cluster, Map.of("KUBECONFIG", proxy.kubeconfig().toString(),
            "SPIDERPOOL_IPAM_REQUEST_TIMEOUT", "1"), NODE)
        .withPools(client, Fixtures.pool(pool, "10.74.0.0/24", "10.74.0.10-10.74.0.20"));
  }

  @AfterAll
  static void stop() throws Exception {
    Agents.closeQuietly(agents);
    TcpProxy.closeQuietly(proxy);
  }

  @Test
  void aLateRetryKeepsTheIPThePodAlreadyHeld(KubernetesClient client, TestNamespace ns) throws Exception {
    Pod pod = Pods.onNode(client, ns.name(), NODE, "held", pool);
    AgentClient.Reply first = agents.add(NODE, pod);
    assertThat(first.status()).as(first.body()).isEqualTo(200);
    String ip = first.json().getJsonArray("ips").getJsonObject(0).getString("address");
    String endpointUid = client.resources(SpiderEndpoint.class).inNamespace(ns.name()).withName("held").get()
        .getMetadata().getUid();

    // A slow API path: each call now takes ~1.4 s, so the retry misses its 1 s deadline and finishes later.
    proxy.delay(700);
    AgentClient.Reply late;
    try {
      late = agents.add(NODE, pod);
    } finally {
      proxy.delay(0);
    }
    assertThat(late.status()).isEqualTo(500);
    assertThat(late.body()).contains("did not finish within 1000 ms");

    // Requests of one pod incarnation run one at a time: this one starts after the late one and its undo.
    AgentClient.Reply after = agents.add(NODE, pod);
    assertThat(after.status()).as(after.body()).isEqualTo(200);
    assertThat(after.json().getJsonArray("ips").getJsonObject(0).getString("address")).isEqualTo(ip);
    assertThat(client.resources(SpiderEndpoint.class).inNamespace(ns.name()).withName("held").get()
        .getMetadata().getUid()).as("the pod's endpoint was never deleted").isEqualTo(endpointUid);
    assertThat(Pools.records(client, pool).values()).as("one record, the pod's")
        .extracting(r -> r.podUid()).containsExactly(pod.getMetadata().getUid());
  }
}
