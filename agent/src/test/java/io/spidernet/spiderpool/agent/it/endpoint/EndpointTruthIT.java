package io.spidernet.spiderpool.agent.it.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.spidernet.spiderpool.testsupport.agent.AgentClient;
import io.spidernet.spiderpool.agent.it.Agents;
import io.spidernet.spiderpool.agent.it.Pods;
import io.spidernet.spiderpool.agent.it.Pools;
import io.spidernet.spiderpool.api.Constants;
import io.spidernet.spiderpool.api.v2beta1.IPAllocationDetail;
import io.spidernet.spiderpool.api.v2beta1.PodIPAllocation;
import io.spidernet.spiderpool.api.v2beta1.SpiderEndpoint;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.api.v2beta1.WorkloadEndpointStatus;
import io.spidernet.spiderpool.it.Fixtures;
import io.spidernet.spiderpool.testsupport.kube.KubeCluster;
import io.spidernet.spiderpool.testsupport.kube.LocalCluster;
import io.spidernet.spiderpool.testsupport.kube.TestNamespace;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A SpiderEndpoint never names an IP its pool does not record for the endpoint's pod incarnation
 * for longer than the ADD that finds it: a refused pool write leaves no endpoint, a retry corrects
 * an endpoint some earlier agent wrote ahead of a pool write that never happened, and a failed ADD
 * removes an endpoint naming an IP another pod won (then CHECK fails and the coordinator's lookup
 * finds nothing). The pool write is made to fail by a ValidatingAdmissionPolicy on the real API
 * server that freezes one pool's status.
 */
@ExtendWith(KubeCluster.class)
class EndpointTruthIT {
  static final String NODE = "early-node";
  static Agents agents;
  static String frozen;
  static String open;
  static String retry;
  static String single;

  @BeforeAll
  static void start(KubernetesClient client, LocalCluster cluster, TestNamespace ns) throws Exception {
    frozen = ns.unique("frozen");
    open = ns.unique("open");
    retry = ns.unique("retry");
    single = ns.unique("single");
    agents = Agents.start(cluster, Map.of(), NODE).withPools(client,
        Fixtures.pool(frozen, "10.22.0.0/24", "10.22.0.10-10.22.0.11"),
        Fixtures.pool(open, "10.23.0.0/24", "10.23.0.10-10.23.0.11"),
        Fixtures.pool(retry, "10.24.0.0/24", "10.24.0.10-10.24.0.12"),
        Fixtures.pool(single, "10.27.0.0/24", "10.27.0.10"));
    freezeStatusOf(client, frozen);
  }

  @AfterAll
  static void stop(KubernetesClient client) throws Exception {
    client.load(new ByteArrayInputStream(policy(frozen).getBytes(StandardCharsets.UTF_8))).delete();
    Agents.closeQuietly(agents);
  }

  @Test
  void aRefusedPoolWriteFallsThroughAndTheEndpointShowsTheCommittedIP(KubernetesClient client, TestNamespace ns)
      throws Exception {
    Pod pod = Pods.onNode(client, ns.name(), NODE, "falls-through", frozen, open);
    AgentClient.Reply reply = agents.add(NODE, pod);
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    assertThat(reply.json().getJsonArray("ips").getJsonObject(0).getString("address")).isEqualTo("10.23.0.10/24");

    SpiderEndpoint se = client.resources(SpiderEndpoint.class).inNamespace(ns.name()).withName("falls-through").get();
    assertThat(se.getStatus().current.ips).singleElement().satisfies(nic -> {
      assertThat(nic.ipv4).isEqualTo("10.23.0.10/24");
      assertThat(nic.ipv4Pool).isEqualTo(open);
    });
    assertThat(Pools.records(client, frozen)).as("the refused pool records nothing").isEmpty();
    assertThat(Pools.records(client, open)).containsOnlyKeys("10.23.0.10");
    assertThat(Pools.records(client, open).get("10.23.0.10").podUid()).isEqualTo(pod.getMetadata().getUid());
  }

  @Test
  void aRefusedPoolWriteLeavesNoEndpointAndNoRecord(KubernetesClient client, TestNamespace ns) throws Exception {
    Pod pod = Pods.onNode(client, ns.name(), NODE, "refused", frozen);
    AgentClient.Reply reply = agents.add(NODE, pod);
    assertThat(reply.status()).isEqualTo(500);
    assertThat(reply.body()).contains("failed to allocate any IPv4 IP address to NIC eth0 from IPPools [" + frozen + "]",
        "frozen by EndpointTruthIT");
    assertThat(client.resources(SpiderEndpoint.class).inNamespace(ns.name()).withName("refused").get())
        .as("the endpoint created ahead of the refused write is gone").isNull();
    assertThat(Pools.records(client, frozen)).isEmpty();
  }

  @Test
  void aRetryCorrectsAnEndpointWrittenAheadOfAPoolWriteThatNeverHappened(KubernetesClient client, TestNamespace ns)
      throws Exception {
    Pod pod = Pods.onNode(client, ns.name(), NODE, "crashed", retry);
    // What an agent killed between its two writes leaves: the endpoint names an IP the pool never recorded.
    client.resource(endpoint(ns, pod, "10.24.0.12/24", retry)).create();

    AgentClient.Reply reply = agents.add(NODE, pod);
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    assertThat(reply.json().getJsonArray("ips").getJsonObject(0).getString("address")).isEqualTo("10.24.0.10/24");
    SpiderEndpoint se = client.resources(SpiderEndpoint.class).inNamespace(ns.name()).withName("crashed").get();
    assertThat(se.getStatus().current.ips).singleElement()
        .satisfies(nic -> assertThat(nic.ipv4).isEqualTo("10.24.0.10/24"));
    assertThat(Pools.records(client, retry)).containsOnlyKeys("10.24.0.10");

    AgentClient.Reply again = agents.add(NODE, pod);
    assertThat(again.json().getJsonArray("ips").getJsonObject(0).getString("address"))
        .as("the retried ADD is idempotent").isEqualTo("10.24.0.10/24");
    assertThat(Pools.records(client, retry)).containsOnlyKeys("10.24.0.10");
  }

  @Test
  void aFailedAddRemovesAnEndpointNamingAnotherPodsIP(KubernetesClient client, TestNamespace ns) throws Exception {
    Pod winner = Pods.onNode(client, ns.name(), NODE, "winner", single);
    assertThat(agents.add(NODE, winner).status()).isEqualTo(200);
    Pod loser = Pods.onNode(client, ns.name(), NODE, "loser", single);
    // What an agent killed after writing the endpoint early and losing the pool write left behind.
    client.resource(endpoint(ns, loser, "10.27.0.10/24", single)).create();

    AgentClient.Reply retried = agents.add(NODE, loser);
    assertThat(retried.status()).isEqualTo(500);
    assertThat(retried.body()).contains("all IP addresses used out: IPPool " + single);
    assertThat(client.resources(SpiderEndpoint.class).inNamespace(ns.name()).withName("loser").get())
        .as("the loser's endpoint no longer names the winner's IP").isNull();
    AgentClient.Reply lookup = agents.call(NODE, io.vertx.core.http.HttpMethod.GET,
        "/v1/workloadendpoint?podNamespace=" + ns.name() + "&podName=loser", null);
    assertThat(lookup.status()).as(lookup.body()).isEqualTo(404);
    AgentClient.Reply check = agents.call(NODE, io.vertx.core.http.HttpMethod.POST, "/v1/cni",
        AgentClient.cniCall("CHECK", loser, "c-loser", """
            {"cniVersion":"1.0.0","name":"macvlan","type":"macvlan","ipam":{"type":"spiderpool"},
             "prevResult":{"cniVersion":"1.0.0","ips":[{"address":"10.27.0.10/24"}]}}"""));
    assertThat(check.json().getInteger("exitCode")).as("CHECK of the loser fails: " + check.body()).isNotZero();
    assertThat(Pools.records(client, single).get("10.27.0.10").podUid()).isEqualTo(winner.getMetadata().getUid());
  }

  private static void freezeStatusOf(KubernetesClient client, String pool) throws Exception {
    client.load(new ByteArrayInputStream(policy(pool).getBytes(StandardCharsets.UTF_8))).serverSideApply();
    // The API server picks a new policy up within a second or so: wait until it refuses.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      SpiderIPPool p = client.resources(SpiderIPPool.class).withName(pool).get();
      p.setStatus(new io.spidernet.spiderpool.api.v2beta1.IPPoolStatus());
      p.getStatus().totalIPCount = 2L;
      try {
        client.resource(p).updateStatus();
      } catch (KubernetesClientException e) {
        if (e.getMessage().contains("frozen by EndpointTruthIT")) {
          return;
        }
        if (e.getCode() != 409) {
          throw e;
        }
      }
      assertThat(System.nanoTime()).as("the admission policy freezing " + pool + " took effect").isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  private static String policy(String pool) {
    return """
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicy
        metadata:
          name: %1$s
        spec:
          failurePolicy: Fail
          matchConstraints:
            resourceRules:
            - apiGroups: ["spiderpool.spidernet.io"]
              apiVersions: ["v2beta1"]
              operations: ["UPDATE"]
              resources: ["spiderippools/status"]
          validations:
          - expression: "object.metadata.name != '%1$s'"
            message: "status of %1$s frozen by EndpointTruthIT"
        ---
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicyBinding
        metadata:
          name: %1$s
        spec:
          policyName: %1$s
          validationActions: [Deny]
        """.formatted(pool);
  }

  private static SpiderEndpoint endpoint(TestNamespace ns, Pod pod, String ip, String pool) {
    SpiderEndpoint se = new SpiderEndpoint();
    se.getMetadata().setName(pod.getMetadata().getName());
    se.getMetadata().setNamespace(ns.name());
    se.getMetadata().setFinalizers(List.of(Constants.FINALIZER));
    IPAllocationDetail nic = new IPAllocationDetail();
    nic.nic = "eth0";
    nic.ipv4 = ip;
    nic.ipv4Pool = pool;
    WorkloadEndpointStatus status = new WorkloadEndpointStatus();
    status.current = new PodIPAllocation();
    status.current.uid = pod.getMetadata().getUid();
    status.current.node = NODE;
    status.current.ips = List.of(nic);
    status.ownerControllerType = "Pod";
    status.ownerControllerName = pod.getMetadata().getName();
    se.setStatus(status);
    return se;
  }

}
