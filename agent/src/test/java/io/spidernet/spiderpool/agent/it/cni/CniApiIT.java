package io.spidernet.spiderpool.agent.it.cni;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spidernet.spiderpool.testsupport.agent.AgentClient;
import io.spidernet.spiderpool.agent.it.Agents;
import io.spidernet.spiderpool.agent.it.Pools;
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

/** A CNI invocation forwarded whole to POST /v1/cni gets the stdout and exit code the runtime expects. */
@ExtendWith(KubeCluster.class)
class CniApiIT {
  static final String NODE = "cni-node";
  static Agents agents;
  static String pool;

  @BeforeAll
  static void start(KubernetesClient client, LocalCluster cluster, TestNamespace ns) throws Exception {
    pool = ns.unique("cni");
    agents = Agents.start(cluster, Map.of(), NODE)
        .withPools(client, Fixtures.poolWithGateway(pool, "10.70.0.0/24", "10.70.0.1", "10.70.0.10-10.70.0.11"));
  }

  @AfterAll
  static void stop() throws Exception {
    Agents.closeQuietly(agents);
  }

  static JsonObject invoke(String command, Pod pod, String version, String ipamExtra) throws Exception {
    return invoke(command, pod, version, ipamExtra, "");
  }

  static JsonObject invoke(String command, Pod pod, String version, String ipamExtra, String topExtra) throws Exception {
    String conf = "{\"cniVersion\":\"" + version + "\",\"name\":\"macvlan-conf\",\"type\":\"macvlan\","
        + "\"ipam\":{\"type\":\"spiderpool\",\"default_ipv4_ippool\":[\"" + pool + "\"]" + ipamExtra + "}" + topExtra + "}";
    AgentClient.Reply reply = agents.call(NODE, HttpMethod.POST, "/v1/cni", AgentClient.cniCall(command, pod, sandbox(pod), conf));
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return reply.json();
  }

  @Test
  void addCheckDelThroughOneCall(KubernetesClient client, TestNamespace ns) throws Exception {
    Pod pod = client.resource(new PodBuilder().withNewMetadata().withName("cni-pod").withNamespace(ns.name()).endMetadata()
        .withNewSpec().withNodeName(NODE).addNewContainer().withName("c").withImage("nginx").endContainer().endSpec()
        .build()).create();

    JsonObject add = invoke("ADD", pod, "0.4.0", "");
    assertThat(add.getInteger("exitCode")).as(add.getString("stdout")).isZero();
    JsonObject result = new JsonObject(add.getString("stdout"));
    assertThat(result.getString("cniVersion")).isEqualTo("0.4.0");
    assertThat(result.getJsonArray("ips").getJsonObject(0).getMap())
        .containsEntry("version", "4").containsEntry("address", "10.70.0.10/24").containsEntry("gateway", "10.70.0.1");
    assertThat(result.getJsonArray("routes").getJsonObject(0).getMap()).containsEntry("dst", "0.0.0.0/0");

    assertThat(invoke("CHECK", pod, "1.0.0", "").getInteger("exitCode")).isZero();
    assertThat(invoke("STATUS", pod, "1.1.0", "").getInteger("exitCode")).isZero();

    client.resource(pod).withGracePeriod(0).delete();
    client.resource(pod).waitUntilCondition(p -> p == null, 30, TimeUnit.SECONDS);
    assertThat(invoke("DEL", pod, "1.0.0", "").getInteger("exitCode")).isZero();
    assertThat(invoke("DEL", pod, "1.0.0", "").getInteger("exitCode")).as("DEL twice").isZero();
    JsonObject check = invoke("CHECK", pod, "1.0.0", "");
    assertThat(check.getInteger("exitCode")).isEqualTo(103);
    assertThat(new JsonObject(check.getString("stdout")).getString("msg")).contains("no IP reservation for interface eth0");
  }

  @Test
  void poolProblemsGetTheirCodesAndNameThePool(KubernetesClient client, TestNamespace ns) throws Exception {
    Pod a = pod(client, ns, "full-a");
    Pod b = pod(client, ns, "full-b");
    Pod c = pod(client, ns, "full-c");
    assertThat(invoke("ADD", a, "1.0.0", "").getInteger("exitCode")).isZero();
    assertThat(invoke("ADD", b, "1.0.0", "").getInteger("exitCode")).isZero();
    JsonObject full = invoke("ADD", c, "1.0.0", "");
    assertThat(full.getInteger("exitCode")).isEqualTo(101);
    assertThat(new JsonObject(full.getString("stdout")).getString("msg"))
        .contains("all IP addresses used out: IPPool " + pool);

    String elsewhere = ns.unique("elsewhere");
    SpiderIPPool pinned = Fixtures.pool(elsewhere, "10.71.0.0/24", "10.71.0.10");
    pinned.getSpec().nodeName = java.util.List.of("another-node");
    client.resource(pinned).create();
    try {
      // a later key wins in JSON decoding: this configuration names only the pinned pool
      JsonObject noPool = invoke("ADD", c, "1.0.0", ",\"default_ipv4_ippool\":[\"" + elsewhere + "\"]");
      assertThat(noPool.getInteger("exitCode")).isEqualTo(100);
      assertThat(new JsonObject(noPool.getString("stdout")).getString("msg"))
          .contains("no IPPool available", "unmatched Node name of IPPool " + elsewhere);
    } finally {
      client.resource(pinned).delete();
    }
    for (Pod p : new Pod[] {a, b}) {
      client.resource(p).withGracePeriod(0).delete();
      client.resource(p).waitUntilCondition(x -> x == null, 30, TimeUnit.SECONDS);
      assertThat(invoke("DEL", p, "1.0.0", "").getInteger("exitCode")).isZero();
    }
  }

  @Test
  void matchMasterSubnetNeedsTheVfsPciAddressAndNamesWhatIsMissing(KubernetesClient client, TestNamespace ns)
      throws Exception {
    Pod pod = pod(client, ns, "sriov-pod");
    JsonObject noDevice = invoke("ADD", pod, "1.0.0", ",\"match_master_subnet\":true");
    assertThat(noDevice.getInteger("exitCode")).isEqualTo(7);
    assertThat(new JsonObject(noDevice.getString("stdout")).getString("msg"))
        .contains("matchMasterSubnet needs the VF's PCI address (deviceID in the CNI network configuration");

    // Multus adds the device plugin's PCI address as deviceID; this host has no such VF.
    JsonObject unknownVf = invoke("ADD", pod, "1.0.0", ",\"match_master_subnet\":true", ",\"deviceID\":\"0000:ff:1f.7\"");
    assertThat(unknownVf.getInteger("exitCode")).isEqualTo(102);
    assertThat(new JsonObject(unknownVf.getString("stdout")).getString("msg"))
        .isEqualTo("matchMasterSubnet: no PCI device 0000:ff:1f.7 under /sys/bus/pci/devices");
    assertThat(recordedPods(client)).as("nothing was allocated").doesNotContain("sriov-pod");
  }

  static List<String> recordedPods(KubernetesClient client) {
    SpiderIPPool p = client.resources(SpiderIPPool.class).withName(pool).get();
    return io.spidernet.spiderpool.api.codec.PoolIPAllocations.decode(pool, p.getStatus().allocatedIPs).values().stream()
        .map(io.spidernet.spiderpool.api.codec.PoolIPAllocation::name).toList();
  }

  static String sandbox(Pod pod) {
    return "ctr-" + pod.getMetadata().getUid();
  }

  @Test
  void gcReleasesWhatTheRuntimeNoLongerListsAndNothingElse(KubernetesClient client, TestNamespace ns) throws Exception {
    Pod listed = pod(client, ns, "gc-listed");
    Pod gone = pod(client, ns, "gc-gone");
    assertThat(invoke("ADD", listed, "1.1.0", "").getInteger("exitCode")).isZero();
    assertThat(invoke("ADD", gone, "1.1.0", "").getInteger("exitCode")).isZero();
    // The pod went away while the agent was not told (no DEL reached it).
    client.resource(gone).withGracePeriod(0).delete();
    client.resource(gone).waitUntilCondition(p -> p == null, 30, TimeUnit.SECONDS);
    String onlyListed = ",\"cni.dev/valid-attachments\":[{\"containerID\":\"" + sandbox(listed) + "\",\"ifname\":\"eth0\"}]";
    JsonObject gc = invoke("GC", listed, "1.1.0", "", onlyListed);
    assertThat(gc.getInteger("exitCode")).as(gc.getString("stdout")).isZero();
    assertThat(recordedPods(client)).as("the gone pod's record is released, the listed one stays")
        .containsExactly("gc-listed");

    // A live pod the runtime does not list (say its ADD raced the GC) is never released.
    Pod alive = pod(client, ns, "gc-alive-unlisted");
    assertThat(invoke("ADD", alive, "1.1.0", "").getInteger("exitCode")).isZero();
    assertThat(invoke("GC", listed, "1.1.0", "", onlyListed).getInteger("exitCode")).isZero();
    assertThat(recordedPods(client)).containsExactlyInAnyOrder("gc-listed", "gc-alive-unlisted");

    String olderKey = ",\"cni.dev/attachments\":[{\"containerID\":\"" + sandbox(listed) + "\",\"ifname\":\"eth0\"}]";
    assertThat(invoke("GC", listed, "1.1.0", "", olderKey).getInteger("exitCode")).isZero();
    for (Pod x : new Pod[] {listed, alive}) {
      client.resource(x).withGracePeriod(0).delete();
      client.resource(x).waitUntilCondition(y -> y == null, 30, TimeUnit.SECONDS);
      assertThat(invoke("DEL", x, "1.1.0", "").getInteger("exitCode")).isZero();
    }
  }

  static Pod pod(KubernetesClient client, TestNamespace ns, String name) {
    return client.resource(new PodBuilder().withNewMetadata().withName(name).withNamespace(ns.name()).endMetadata()
        .withNewSpec().withNodeName(NODE).addNewContainer().withName("c").withImage("nginx").endContainer().endSpec()
        .build()).create();
  }
}
