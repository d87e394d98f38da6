package io.spidernet.spiderpool.agent.it.owners;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spidernet.spiderpool.core.kube.Kube;
import io.spidernet.spiderpool.core.pod.Owners;
import io.spidernet.spiderpool.core.pod.TopController;
import io.spidernet.spiderpool.testsupport.Eventually;
import io.spidernet.spiderpool.testsupport.kube.KubeCluster;
import io.spidernet.spiderpool.testsupport.kube.LocalCluster;
import io.spidernet.spiderpool.testsupport.kube.TestNamespace;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A pod's top controller read through its ReplicaSet on the real API server, and remembered: the
 * agent asks for it on every ADD of a Deployment's pod, and reads it once per ReplicaSet per minute.
 */
@ExtendWith(KubeCluster.class)
class OwnersIT {
  @Test
  void aReplicaSetsDeploymentIsReadOnceAndRemembered(KubernetesClient client, TestNamespace ns, LocalCluster cluster)
      throws Exception {
    client.apps().deployments().inNamespace(ns.name()).resource(new DeploymentBuilder()
        .withNewMetadata().withName("web").endMetadata()
        .withNewSpec().withReplicas(0).withNewSelector().addToMatchLabels("app", "web").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("nginx").endContainer().endSpec().endTemplate()
        .endSpec().build()).create();
    Eventually.until("kube-controller-manager made the ReplicaSet", Duration.ofSeconds(30),
        () -> !client.apps().replicaSets().inNamespace(ns.name()).list().getItems().isEmpty());
    ReplicaSet rs = client.apps().replicaSets().inNamespace(ns.name()).list().getItems().get(0);
    Pod pod = new PodBuilder().withNewMetadata().withName("web-1").withNamespace(ns.name()).withUid("pod-uid")
        .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName(rs.getMetadata().getName())
        .withUid(rs.getMetadata().getUid()).withController(true).endOwnerReference().endMetadata().build();

    System.setProperty("kubeconfig", cluster.kubeconfig().toString());
    Vertx vertx = Vertx.vertx();
    try (Kube kube = Kube.connect(vertx, "owners-it", 2)) {
      Owners owners = new Owners(kube);
      TopController first = owners.topController(pod).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(List.of(first.kind(), first.name())).as("the Deployment over the ReplicaSet").containsExactly("Deployment", "web");

      // The Deployment goes, its ReplicaSet stays orphaned: read again, the RS would name itself.
      client.apps().deployments().inNamespace(ns.name()).withName("web").withPropagationPolicy(DeletionPropagation.ORPHAN)
          .delete();
      Eventually.until("the ReplicaSet orphaned", Duration.ofSeconds(30), () -> {
        ReplicaSet now = client.apps().replicaSets().inNamespace(ns.name()).withName(rs.getMetadata().getName()).get();
        return now != null && (now.getMetadata().getOwnerReferences() == null || now.getMetadata().getOwnerReferences().isEmpty());
      });
      TopController again = owners.topController(pod).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(List.of(again.kind(), again.name())).as("remembered, not read again").containsExactly("Deployment", "web");

      TopController fresh = new Owners(kube).topController(pod).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(List.of(fresh.kind(), fresh.name())).as("what a read now says")
          .containsExactly("ReplicaSet", rs.getMetadata().getName());
    } finally {
      vertx.close();
    }
  }
}
