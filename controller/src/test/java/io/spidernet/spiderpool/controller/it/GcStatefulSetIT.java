package io.spidernet.spiderpool.controller.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spidernet.spiderpool.api.codec.PoolIPAllocation;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.controller.runtime.Events;
import io.spidernet.spiderpool.testsupport.Eventually;
import io.spidernet.spiderpool.testsupport.agent.AgentClient;
import io.spidernet.spiderpool.testsupport.agent.AgentProcess;
import io.spidernet.spiderpool.testsupport.kube.KubeCluster;
import io.spidernet.spiderpool.testsupport.kube.LocalCluster;
import io.spidernet.spiderpool.testsupport.kube.TestNamespace;
import io.spidernet.spiderpool.webhook.rules.WebhookConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One StatefulSet pod re-created again and again by kube-controller-manager (a new UID each time),
 * each incarnation given its IP by a real agent, while the GC scans every second: the pod keeps
 * one IP, the pool never holds two records for it, and the GC never releases the live incarnation.
 */
@ExtendWith(KubeCluster.class)
class GcStatefulSetIT {
  static final int INCARNATIONS = 200;

  @Test
  void aStatefulSetPodKeepsItsIPAcrossIncarnationsWhileGcScans(LocalCluster cluster, KubernetesClient client, TestNamespace ns)
      throws Exception {
    String node = ns.unique("sts-node");
    String pool = ns.unique("sts-pool");
    client.resource(new NodeBuilder().withNewMetadata().withName(node).endMetadata().build()).create();
    Vertx vertx = Vertx.vertx();
    try (Controllers controllers = Controllers.start(cluster, client, ns.name(), Map.of("SPIDERPOOL_GC_DEFAULT_INTERVAL_DURATION",
        "1"), WebhookConfig.defaults());
        AgentProcess agent = AgentProcess.start(AgentProcess.jar(), node, cluster.kubeconfig(), Files.createTempDirectory("sts"))) {
      client.resource(client.getKubernetesSerialization().unmarshal("apiVersion: spiderpool.spidernet.io/v2beta1\n"
          + "kind: SpiderIPPool\nmetadata: {name: " + pool + "}\nspec: {subnet: 10.131.0.0/24, ips: [10.131.0.10-10.131.0.19]}\n",
          SpiderIPPool.class)).create();
      client.resource(new StatefulSetBuilder().withNewMetadata().withName("web").withNamespace(ns.name()).endMetadata()
          .withNewSpec().withReplicas(1).withServiceName("web").withNewSelector().addToMatchLabels("app", "web").endSelector()
          .withNewTemplate().withNewMetadata().addToLabels("app", "web")
          .addToAnnotations("ipam.spidernet.io/ippool", "{\"ipv4\":[\"" + pool + "\"]}").endMetadata()
          .withNewSpec().withNodeName(node).addNewContainer().withName("c").withImage("x").endContainer().endSpec().endTemplate()
          .endSpec().build()).create();
      AgentClient socket = new AgentClient(vertx, agent.socket());
      Set<String> uids = new HashSet<>();
      String ip = null;
      for (int i = 0; i < INCARNATIONS; i++) {
        Pod pod = awaitNewIncarnation(client, ns.name(), uids);
        AgentClient.Reply reply = socket.call(HttpMethod.POST, "/v1/ipam/ip", AgentClient.addArgs(ns.name(), "web-0",
            pod.getMetadata().getUid(), "eth0")).toCompletionStage().toCompletableFuture().get();
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        String address = reply.json().getJsonArray("ips").getJsonObject(0).getString("address");
        String now = address.substring(0, address.indexOf('/'));
        if (ip != null) {
          assertThat(now).as("incarnation " + i + " keeps the StatefulSet pod's IP").isEqualTo(ip);
        }
        ip = now;
        pod.setStatus(new PodStatusBuilder().withPhase("Running").addNewPodIP(ip).build());
        client.resource(pod).updateStatus();
        Map<String, PoolIPAllocation> records = PoolRecords.read(client, pool);
        assertThat(records).as("one record, the live incarnation's").hasSize(1);
        assertThat(records.get(ip).podUid()).isEqualTo(pod.getMetadata().getUid());
        if (i % 20 == 0 || i == INCARNATIONS - 1) {
          PoolInvariants.assertHold(client, Set.of(pool));
        }
        Thread.sleep(100 * (i % 5)); // the deletion falls in every phase of the GC's one-second scans
        client.pods().inNamespace(ns.name()).withName("web-0").withGracePeriod(0).delete();
      }
      Pod last = awaitNewIncarnation(client, ns.name(), uids);
      Thread.sleep(2500);
      Map<String, PoolIPAllocation> records = PoolRecords.read(client, pool);
      assertThat(records).as("the wanted pod's IP outlives its incarnations while GC scans").containsOnlyKeys(ip);
      String uid = client.resources(SpiderIPPool.class).withName(pool).get().getMetadata().getUid();
      assertThat(client.v1().events().inNamespace(Events.NAMESPACE).list().getItems().stream()
          .filter(e -> uid.equals(e.getInvolvedObject().getUid()) && Events.IP_RELEASED.equals(e.getReason())).toList())
          .as("nothing was released").isEmpty();
      assertThat(last).isNotNull();
      client.apps().statefulSets().inNamespace(ns.name()).withName("web").delete();
    } finally {
      client.nodes().withName(node).delete();
      vertx.close();
    }
  }

  private static Pod awaitNewIncarnation(KubernetesClient client, String ns, Set<String> seen) throws InterruptedException {
    Pod[] found = new Pod[1];
    Eventually.until("kube-controller-manager re-creates web-0", Duration.ofSeconds(30), () -> {
      Pod p = client.pods().inNamespace(ns).withName("web-0").get();
      if (p != null && p.getMetadata().getDeletionTimestamp() == null && !seen.contains(p.getMetadata().getUid())) {
        found[0] = p;
        return true;
      }
      return false;
    });
    seen.add(found[0].getMetadata().getUid());
    return found[0];
  }

}
