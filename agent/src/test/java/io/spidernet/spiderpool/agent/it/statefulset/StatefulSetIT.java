package io.spidernet.spiderpool.agent.it.statefulset;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spidernet.spiderpool.testsupport.agent.AgentClient;
import io.spidernet.spiderpool.agent.it.Agents;
import io.spidernet.spiderpool.api.codec.PoolIPAllocation;
import io.spidernet.spiderpool.api.codec.PoolIPAllocations;
import io.spidernet.spiderpool.api.v2beta1.SpiderEndpoint;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.agent.it.Pools;
import io.spidernet.spiderpool.it.Fixtures;
import io.spidernet.spiderpool.testsupport.kube.KubeCluster;
import io.spidernet.spiderpool.testsupport.kube.LocalCluster;
import io.spidernet.spiderpool.testsupport.kube.TestNamespace;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A StatefulSet pod keeps its IP when it is deleted and re-created, and gives it back when scaled away. */
@ExtendWith(KubeCluster.class)
class StatefulSetIT {
  static final String NODE = "sts-node";
  static Agents agents;
  static String pool;

  @BeforeAll
  static void start(KubernetesClient client, LocalCluster cluster, TestNamespace ns) throws Exception {
    pool = ns.unique("sts");
    agents = Agents.start(cluster, Map.of(), NODE)
        .withPools(client, Fixtures.pool(pool, "10.50.0.0/24", "10.50.0.10-10.50.0.20"));
  }

  @AfterAll
  static void stop() throws Exception {
    Agents.closeQuietly(agents);
  }

  @Test
  void webZeroKeepsItsIPAcrossRecreation(KubernetesClient client, TestNamespace ns) throws Exception {
    StatefulSet sts = client.resource(new StatefulSetBuilder().withNewMetadata().withName("web").withNamespace(ns.name())
        .endMetadata().withNewSpec().withReplicas(1).withServiceName("web")
        .withNewSelector().addToMatchLabels("app", "web").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "web")
        .addToAnnotations("ipam.spidernet.io/ippool", "{\"ipv4\":[\"" + pool + "\"]}").endMetadata()
        .withNewSpec().addNewContainer().withName("c").withImage("nginx").endContainer().endSpec().endTemplate()
        .endSpec().build()).create();

    Pod first = scheduled(client, ns, null);
    String ip = add(ns, first);
    SpiderEndpoint se = client.resources(SpiderEndpoint.class).inNamespace(ns.name()).withName("web-0").get();
    assertThat(se.getMetadata().getOwnerReferences()).as("a StatefulSet pod's endpoint outlives the pod").isNullOrEmpty();
    assertThat(se.getStatus().ownerControllerType).isEqualTo("StatefulSet");

    client.resource(first).withGracePeriod(0).delete();
    assertThat(del(ns, first).status()).isEqualTo(200);
    assertThat(records(client)).as("the StatefulSet still wants web-0: its IP stays reserved")
        .containsOnlyKeys(ip.substring(0, ip.indexOf('/')));

    Pod second = scheduled(client, ns, first.getMetadata().getUid());
    assertThat(add(ns, second)).as("the re-created web-0 gets the same IP").isEqualTo(ip);
    assertThat(records(client).get(ip.substring(0, ip.indexOf('/'))))
        .isEqualTo(new PoolIPAllocation(ns.name() + "/web-0", second.getMetadata().getUid()));
    assertThat(client.resources(SpiderEndpoint.class).inNamespace(ns.name()).withName("web-0").get().getStatus().current.uid)
        .isEqualTo(second.getMetadata().getUid());

    // Scaled to zero: the StatefulSet no longer wants web-0, so DEL gives the IP back.
    client.apps().statefulSets().inNamespace(ns.name()).withName(sts.getMetadata().getName()).scale(0);
    client.resource(second).withGracePeriod(0).delete();
    client.resource(second).waitUntilCondition(p -> p == null, 30, TimeUnit.SECONDS);
    assertThat(del(ns, second).status()).isEqualTo(200);
    assertThat(records(client)).isEmpty();
    assertThat(client.resources(SpiderEndpoint.class).inNamespace(ns.name()).withName("web-0").get()).isNull();
  }

  /** Waits for kube-controller-manager to create web-0 (a new one when {@code notUid} is given) and binds it. */
  static Pod scheduled(KubernetesClient client, TestNamespace ns, String notUid) throws Exception {
    Pod pod = client.pods().inNamespace(ns.name()).withName("web-0").waitUntilCondition(
        p -> p != null && p.getMetadata().getDeletionTimestamp() == null && !p.getMetadata().getUid().equals(notUid),
        60, TimeUnit.SECONDS);
    client.bindings().inNamespace(ns.name()).resource(new BindingBuilder().withNewMetadata().withName("web-0").endMetadata()
        .withNewTarget().withKind("Node").withName(NODE).withApiVersion("v1").endTarget().build()).create();
    return client.pods().inNamespace(ns.name()).withName("web-0").get();
  }

  static String add(TestNamespace ns, Pod pod) throws Exception {
    AgentClient.Reply reply = agents.call(NODE, HttpMethod.POST, "/v1/ipam/ip",
        AgentClient.addArgs(ns.name(), "web-0", pod.getMetadata().getUid(), "eth0"));
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return reply.json().getJsonArray("ips").getJsonObject(0).getString("address");
  }

  static AgentClient.Reply del(TestNamespace ns, Pod pod) throws Exception {
    return agents.call(NODE, HttpMethod.DELETE, "/v1/ipam/ip",
        AgentClient.addArgs(ns.name(), "web-0", pod.getMetadata().getUid(), "eth0"));
  }

  static Map<String, PoolIPAllocation> records(KubernetesClient client) {
    SpiderIPPool p = client.resources(SpiderIPPool.class).withName(pool).get();
    return PoolIPAllocations.decode(pool, p.getStatus() == null ? null : p.getStatus().allocatedIPs);
  }
}
