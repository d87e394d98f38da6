package io.spidernet.spiderpool.controller.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spidernet.spiderpool.api.codec.PoolIPAllocation;
import io.spidernet.spiderpool.api.v2beta1.SpiderEndpoint;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.testsupport.Eventually;
import io.spidernet.spiderpool.testsupport.agent.AgentClient;
import io.spidernet.spiderpool.testsupport.agent.AgentProcess;
import io.spidernet.spiderpool.testsupport.kube.KubeCluster;
import io.spidernet.spiderpool.testsupport.kube.LocalCluster;
import io.spidernet.spiderpool.testsupport.kube.TestNamespace;
import io.spidernet.spiderpool.webhook.rules.WebhookConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * With a real agent: kill -9 it in the middle of a burst of ADDs, then delete pods without any CNI
 * DEL (a lost node, a crashed runtime). The leader's GC releases every IP of a deleted pod and its
 * SpiderEndpoint within 60 s, and never touches an IP of a pod that lives; afterwards every record's
 * pod exists with the record's UID and the count equals the records.
 */
@ExtendWith(KubeCluster.class)
class GcAgentsIT {
  @Test
  void killedAgentAndPodsDeletedWithoutDelLeaveNoOrphan(LocalCluster cluster, KubernetesClient client, TestNamespace ns)
      throws Exception {
    String node = ns.unique("gc-node");
    String pool = ns.unique("gc-agents");
    client.resource(new NodeBuilder().withNewMetadata().withName(node).endMetadata().build()).create();
    Map<String, String> env = Map.of("SPIDERPOOL_GC_DEFAULT_INTERVAL_DURATION", "5");
    Vertx vertx = Vertx.vertx();
    try (Controllers controllers = Controllers.start(cluster, client, ns.name(), env, WebhookConfig.defaults());
        AgentProcess agent = AgentProcess.start(AgentProcess.jar(), node, cluster.kubeconfig(), Files.createTempDirectory("gc-agents"))) {
      client.resource(client.getKubernetesSerialization().unmarshal("apiVersion: spiderpool.spidernet.io/v2beta1\n"
          + "kind: SpiderIPPool\nmetadata: {name: " + pool + "}\nspec: {subnet: 10.130.0.0/24, ips: [10.130.0.10-10.130.0.99]}\n",
          SpiderIPPool.class)).create();
      List<Pod> pods = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        pods.add(client.resource(new PodBuilder().withNewMetadata().withName("p" + i).withNamespace(ns.name())
            .addToAnnotations("ipam.spidernet.io/ippool", "{\"ipv4\":[\"" + pool + "\"]}").endMetadata()
            .withNewSpec().withNodeName(node).addNewContainer().withName("c").withImage("x").endContainer().endSpec().build())
            .create());
      }
      AgentClient socket = new AgentClient(vertx, agent.socket());
      Map<String, String> answered = new ConcurrentHashMap<>();
      List<Future<?>> adds = new ArrayList<>();
      for (Pod p : pods) {
        adds.add(socket.call(HttpMethod.POST, "/v1/ipam/ip", AgentClient.addArgs(ns.name(), p.getMetadata().getName(),
            p.getMetadata().getUid(), "eth0")).onSuccess(r -> {
              if (r.status() == 200) {
                String ip = r.json().getJsonArray("ips").getJsonObject(0).getString("address");
                answered.put(p.getMetadata().getName(), ip.substring(0, ip.indexOf('/')));
              }
            }));
      }
      Eventually.until("some ADDs answered", Duration.ofSeconds(30), () -> answered.size() >= 10);
      agent.kill9();
      Future.join(adds).toCompletionStage().toCompletableFuture().handle((x, e) -> null).get(60, TimeUnit.SECONDS);

      // Half of the answered pods run with their IP; every other pod is deleted without a DEL.
      Map<String, String> live = new HashMap<>();
      for (Pod p : pods) {
        String name = p.getMetadata().getName();
        String ip = answered.get(name);
        if (ip != null && live.size() < answered.size() / 2) {
          p.setStatus(new PodStatusBuilder().withPhase("Running").addNewPodIP(ip).build());
          client.resource(p).updateStatus();
          live.put(name, ip);
        } else {
          client.resource(p).withGracePeriod(0).delete();
        }
      }
      assertThat(live).isNotEmpty();

      Eventually.until("every record belongs to a live pod", Duration.ofSeconds(60), () -> {
        Map<String, PoolIPAllocation> records = PoolRecords.read(client, pool);
        return records.size() == live.size() && records.values().stream().allMatch(r -> live.containsKey(r.name()));
      });
      Map<String, PoolIPAllocation> records = PoolRecords.read(client, pool);
      for (Map.Entry<String, String> e : live.entrySet()) {
        Pod pod = client.pods().inNamespace(ns.name()).withName(e.getKey()).get();
        assertThat(records.get(e.getValue())).as("the live pod " + e.getKey() + " keeps " + e.getValue()).isNotNull();
        assertThat(records.get(e.getValue()).podUid()).isEqualTo(pod.getMetadata().getUid());
      }
      SpiderIPPool stored = client.resources(SpiderIPPool.class).withName(pool).get();
      assertThat(stored.getStatus().allocatedIPCount).isEqualTo((long) records.size());
      Eventually.until("no SpiderEndpoint of a deleted pod remains", Duration.ofSeconds(30), () ->
          client.resources(SpiderEndpoint.class).inNamespace(ns.name()).list().getItems().stream()
              .allMatch(se -> live.containsKey(se.getMetadata().getName())));
      PoolInvariants.assertHold(client, java.util.Set.of(pool));
      for (String name : live.keySet()) {
        client.pods().inNamespace(ns.name()).withName(name).withGracePeriod(0).delete();
      }
      Eventually.until("the pool empties once the live pods are gone too", Duration.ofSeconds(60),
          () -> PoolRecords.read(client, pool).isEmpty());
      client.resources(SpiderIPPool.class).withName(pool).delete();
    } finally {
      client.nodes().withName(node).delete();
      vertx.close();
    }
  }

}
