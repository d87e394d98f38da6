package io.spidernet.spiderpool.controller.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spidernet.spiderpool.api.v2beta1.SpiderCoordinator;
import io.spidernet.spiderpool.controller.coordinator.CoordinatorReconciler;
import io.spidernet.spiderpool.testsupport.Eventually;
import io.spidernet.spiderpool.testsupport.agent.AgentClient;
import io.spidernet.spiderpool.testsupport.agent.AgentProcess;
import io.spidernet.spiderpool.testsupport.kube.KubeCluster;
import io.spidernet.spiderpool.testsupport.kube.LocalCluster;
import io.spidernet.spiderpool.testsupport.kube.TestNamespace;
import io.spidernet.spiderpool.webhook.rules.WebhookConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The default SpiderCoordinator's status from the real cluster (spec 6.7): NotReady with a Warning
 * Event while the cluster's pod CIDR is unknown, Synced once kube-system/kubeadm-config says it, the
 * service CIDRs from the API server's ServiceCIDR objects; an agent then answers
 * {@code GET /v1/coordinator/config} with them and the hijack CIDRs (seed 003's remote cluster).
 */
@ExtendWith(KubeCluster.class)
class CoordinatorIT {
  @Test
  void theStatusFollowsTheClusterAndTheAgentServesIt(LocalCluster cluster, KubernetesClient client, TestNamespace ns)
      throws Exception {
    // The agent serves the first coordinator by name: this one sorts before any other.
    String name = ns.unique("0-default");
    String node = ns.unique("coord-node");
    client.resource(new NodeBuilder().withNewMetadata().withName(node).endMetadata().build()).create();
    Map<String, String> env = Map.of("SPIDERPOOL_COORDINATOR_ENABLED", "true", "SPIDERPOOL_COORDINATOR_DEAFULT_NAME", name,
        "SPIDERPOOL_COORDINATOR_INFORMER_RESYNC_PERIOD", "3600"); // so only the sources' events can bring the changes
    Vertx vertx = Vertx.vertx();
    try (Controllers controllers = Controllers.start(cluster, client, ns.name(), env, WebhookConfig.defaults())) {
      client.resource(client.getKubernetesSerialization().unmarshal("apiVersion: spiderpool.spidernet.io/v2beta1\n"
          + "kind: SpiderCoordinator\nmetadata: {name: " + name + "}\n"
          + "spec: {podCIDRType: cluster, hijackCIDR: [10.243.0.0/18, 172.111.0.0/16]}\n", SpiderCoordinator.class)).create();
      try {
        check(client, name, node, vertx);
      } finally {
        client.configMaps().inNamespace("kube-system").withName("kubeadm-config").delete();
        // while the controller runs: it removes the finalizer its webhook put on the coordinator
        client.resources(SpiderCoordinator.class).withName(name).delete();
        Eventually.until("the coordinator is gone", Duration.ofSeconds(20),
            () -> client.resources(SpiderCoordinator.class).withName(name).get() == null);
      }
    } finally {
      client.nodes().withName(node).delete();
      vertx.close();
    }
  }

  private static void check(KubernetesClient client, String name, String node, Vertx vertx) throws Exception {
    Eventually.until("NotReady while the cluster's pod CIDR is unknown", Duration.ofSeconds(20), () -> {
      SpiderCoordinator c = client.resources(SpiderCoordinator.class).withName(name).get();
      return c.getStatus() != null && "NotReady".equals(c.getStatus().phase);
    });
    assertThat(client.resources(SpiderCoordinator.class).withName(name).get().getStatus().reason)
        .contains("the cluster's pod CIDR is unknown");
    Eventually.until("a Warning Event says why", Duration.ofSeconds(10), () -> client.v1().events().inNamespace("default").list()
        .getItems().stream().anyMatch(e -> CoordinatorReconciler.CLUSTER_NOT_READY.equals(e.getReason())
            && name.equals(e.getInvolvedObject().getName())));

    client.configMaps().inNamespace("kube-system").resource(new ConfigMapBuilder().withNewMetadata().withName("kubeadm-config")
        .endMetadata().addToData("ClusterConfiguration", "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n"
            + "networking:\n  podSubnet: 10.233.64.0/18\n  serviceSubnet: 10.233.0.0/18\n").build()).create();
    Eventually.until("Synced once kubeadm-config tells the pod CIDR", Duration.ofSeconds(20), () -> {
      SpiderCoordinator c = client.resources(SpiderCoordinator.class).withName(name).get();
      return c.getStatus() != null && "Synced".equals(c.getStatus().phase);
    });
    SpiderCoordinator synced = client.resources(SpiderCoordinator.class).withName(name).get();
    assertThat(synced.getStatus().overlayPodCIDR).containsExactly("10.233.64.0/18");
    assertThat(synced.getStatus().serviceCIDR).as("the API server's ServiceCIDR objects (its --service-cluster-ip-range)")
        .containsExactly("10.96.0.0/16");
    assertThat(synced.getStatus().reason).isNull();

    LocalCluster cluster = LocalCluster.get();
    try (AgentProcess agent = AgentProcess.start(AgentProcess.jar(), node, cluster.kubeconfig(), Files.createTempDirectory("coord"))) {
      AgentClient socket = new AgentClient(vertx, agent.socket());
      AgentClient.Reply reply = socket.call(HttpMethod.GET, "/v1/coordinator/config", new JsonObject())
          .toCompletionStage().toCompletableFuture().get();
      assertThat(client.resources(SpiderCoordinator.class).list().getItems().get(0).getMetadata().getName())
          .as("the agent serves the first coordinator").isEqualTo(name);
      assertThat(reply.status()).as(reply.body()).isEqualTo(200);
      assertThat(reply.json().getJsonArray("serviceCIDR").getList()).containsExactly("10.96.0.0/16");
      assertThat(reply.json().getJsonArray("overlayPodCIDR").getList()).containsExactly("10.233.64.0/18");
      assertThat(reply.json().getJsonArray("hijackCIDR").getList()).isEqualTo(List.of("10.243.0.0/18", "172.111.0.0/16"));
    }
  }
}
