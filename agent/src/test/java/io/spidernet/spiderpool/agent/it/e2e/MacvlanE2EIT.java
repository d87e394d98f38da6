package io.spidernet.spiderpool.agent.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spidernet.spiderpool.agent.it.Agents;
import io.spidernet.spiderpool.agent.it.NetnsCni;
import io.spidernet.spiderpool.agent.it.NetnsCni.Run;
import io.spidernet.spiderpool.agent.it.Pools;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.it.Fixtures;
import io.spidernet.spiderpool.testsupport.kube.KubeCluster;
import io.spidernet.spiderpool.testsupport.kube.LocalCluster;
import io.spidernet.spiderpool.testsupport.kube.TestNamespace;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Seed 000's pool behind the real macvlan plugin, as kubelet and Multus run it: macvlan executes
 * in a "node" network namespace (a veth master link, never the machine's NIC), delegates IPAM to
 * our plugin, which asks the agent; the pod's namespace gets the address. Needs root and iproute2.
 */
@ExtendWith(KubeCluster.class)
class MacvlanE2EIT {
  static final String NODE = "e2e-node";
  static final String RUN = UUID.randomUUID().toString().substring(0, 6);
  static Agents agents;
  static NetnsCni runtime;
  static String pool;

  @BeforeAll
  static void start(KubernetesClient client, LocalCluster cluster, TestNamespace ns) throws Exception {
    assertThat(Path.of(NetnsCni.MACVLAN)).as("the macvlan plugin (Debian containernetworking-plugins; scripts/require-packages.sh installs it)")
        .isExecutable();
    pool = ns.unique("test-ippool-6");
    SpiderIPPool p = Fixtures.poolWithGateway(pool, "10.6.0.0/16", "10.6.0.1", "10.6.168.60-10.6.168.69");
    p.getSpec().nodeName = List.of(NODE);
    agents = Agents.start(cluster, Map.of(), NODE).withPools(client, p);
    runtime = NetnsCni.create("spj-node-" + RUN);
  }

  @AfterAll
  static void stop() throws Exception {
    Agents.closeQuietly(agents);
    if (runtime != null) {
      runtime.close();
    }
  }

  static Run cni(String command, Pod pod, String podNs, Path socket) throws Exception {
    return cni(command, pod, podNs, socket, null);
  }

  /** As a runtime does, CHECK carries the ADD's result as {@code prevResult}. */
  static Run cni(String command, Pod pod, String podNs, Path socket, String prevResult) throws Exception {
    return runtime.run("macvlan", command, pod, podNs, NetnsCni.macvlanConf("1.0.0", pool, socket, prevResult));
  }

  static String sh(String... command) throws Exception {
    return NetnsCni.sh(command);
  }

  static void netns(String name) throws Exception {
    runtime.netns(name);
  }
  static Pod pod(KubernetesClient client, TestNamespace ns, String name) {
    return client.resource(new PodBuilder().withNewMetadata().withName(name).withNamespace(ns.name()).endMetadata()
        .withNewSpec().withNodeName(NODE).addNewContainer().withName("c").withImage("nginx").endContainer().endSpec()
        .build()).create();
  }

  static Map<String, ?> records(KubernetesClient client) {
    return Pools.records(client, pool);
  }

  @Test
  void thePodsNamespaceGetsItsNodesPoolAddressAndLosesItOnDel(KubernetesClient client, TestNamespace ns) throws Exception {
    Pod pod = pod(client, ns, "test-app-j9ftl");
    String podNs = "spj-pod-" + RUN;
    netns(podNs);
    Path socket = agents.socket(NODE);

    Run add = cni("ADD", pod, podNs, socket);
    assertThat(add.exit()).as(add.stdout()).isZero();
    JsonObject result = new JsonObject(add.stdout());
    assertThat(result.getJsonArray("interfaces").getJsonObject(0).getString("name")).isEqualTo("eth0");
    assertThat(result.getJsonArray("ips").getJsonObject(0).getString("address")).isEqualTo("10.6.168.60/16");
    assertThat(sh("ip", "-n", podNs, "-4", "addr", "show", "dev", "eth0")).contains("inet 10.6.168.60/16");
    assertThat(sh("ip", "-n", podNs, "route")).contains("default via 10.6.0.1 dev eth0");

    Run check = cni("CHECK", pod, podNs, socket, add.stdout());
    assertThat(check.exit()).as("CHECK: " + check.stdout()).isZero();

    client.resource(pod).withGracePeriod(0).delete();
    client.resource(pod).waitUntilCondition(p -> p == null, 30, TimeUnit.SECONDS);
    Run del = cni("DEL", pod, podNs, socket);
    assertThat(del.exit()).as(del.stdout()).isZero();
    assertThat(sh("ip", "-n", podNs, "link", "show")).doesNotContain("eth0");
    assertThat(records(client)).as("the record is freed").isEmpty();
    assertThat(cni("DEL", pod, podNs, socket).exit()).as("DEL again").isZero();
  }

  @Test
  void anAddWithTheAgentDownFailsWithCode11AndLeavesNothingOnceDeleted(KubernetesClient client, TestNamespace ns) throws Exception {
    Pod pod = pod(client, ns, "agent-down");
    String podNs = "spj-down-" + RUN;
    netns(podNs);
    Path gone = Files.createTempDirectory("agent-down").resolve("spiderpool.sock");
    Run add = cni("ADD", pod, podNs, gone);
    // macvlan's skeleton exits 1 on any error; the runtime reads the code from the JSON it prints.
    assertThat(add.exit()).as(add.stdout()).isNotZero();
    assertThat(new JsonObject(add.stdout()).getInteger("code")).isEqualTo(11);
    assertThat(new JsonObject(add.stdout()).getString("msg")).contains("unreachable on unix:" + gone);
    assertThat(records(client)).as("no IP recorded").isEmpty();

    // After a failed ADD the runtime sends DEL (and retries it while it gets 11): once the agent
    // answers, DEL succeeds and macvlan removes the link it left in the pod's namespace.
    Run delWhileDown = cni("DEL", pod, podNs, gone);
    assertThat(new JsonObject(delWhileDown.stdout()).getInteger("code")).isEqualTo(11);
    Run del = cni("DEL", pod, podNs, agents.socket(NODE));
    assertThat(del.exit()).as(del.stdout()).isZero();
    assertThat(sh("ip", "-n", podNs, "link", "show")).doesNotContain("eth0");
    assertThat(records(client)).isEmpty();
  }

  @Test
  void macvlanFailingAfterOurAddLeavesNoIPBehind(KubernetesClient client, TestNamespace ns) throws Exception {
    // A route via a gateway outside the subnet: IPAM succeeds, then macvlan cannot install the route.
    String broken = ns.unique("broken-route");
    SpiderIPPool p = Fixtures.poolWithGateway(broken, "10.8.0.0/16", "10.8.0.1", "10.8.168.60-10.8.168.69");
    p.getSpec().routes = List.of(new io.spidernet.spiderpool.api.v2beta1.Route("10.99.0.0/16", "10.200.0.1"));
    client.resource(p).create();
    try {
      Pod pod = pod(client, ns, "route-fails");
      String podNs = "spj-fail-" + RUN;
      netns(podNs);
      Path socket = agents.socket(NODE);
      String conf = NetnsCni.macvlanConf("1.0.0", broken, socket, null);

      Run add = runtime.run("macvlan", "ADD", pod, podNs, conf);
      assertThat(add.exit()).as(add.stdout()).isNotZero();
      // The runtime follows a failed ADD with DEL, which removes macvlan's link. The pod is alive,
      // so its IP stays reserved for it (Spiderpool's rule: a DEL may come from a stale sandbox)
      // and is the one its retry gets: one record, never a second IP.
      assertThat(runtime.run("macvlan", "DEL", pod, podNs, conf).exit()).isZero();
      assertThat(sh("ip", "-n", podNs, "link", "show")).doesNotContain("eth0");
      assertThat(recordsOf(client, broken)).hasSize(1);

      client.resources(SpiderIPPool.class).withName(broken).edit(x -> {
        x.getSpec().routes = null;
        return x;
      });
      Run retry = runtime.run("macvlan", "ADD", pod, podNs, NetnsCni.macvlanConf("1.0.0", broken, socket, null));
      assertThat(retry.exit()).as(retry.stdout()).isZero();
      assertThat(new JsonObject(retry.stdout()).getJsonArray("ips").getJsonObject(0).getString("address"))
          .isEqualTo("10.8.168.60/16");
      assertThat(recordsOf(client, broken)).hasSize(1);

      client.resource(pod).withGracePeriod(0).delete();
      client.resource(pod).waitUntilCondition(x -> x == null, 30, TimeUnit.SECONDS);
      assertThat(runtime.run("macvlan", "DEL", pod, podNs, conf).exit()).isZero();
      assertThat(recordsOf(client, broken)).as("nothing left behind").isEmpty();
      assertThat(sh("ip", "-n", podNs, "link", "show")).doesNotContain("eth0");
    } finally {
      client.resources(SpiderIPPool.class).withName(broken).delete();
    }
  }

  static Map<String, ?> recordsOf(KubernetesClient client, String name) {
    return Pools.records(client, name);
  }
}
