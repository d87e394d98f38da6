package io.spidernet.spiderpool.it.endpointgc;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spidernet.spiderpool.api.Constants;
import io.spidernet.spiderpool.api.v2beta1.SpiderEndpoint;
import io.spidernet.spiderpool.it.Fixtures;
import io.spidernet.spiderpool.testsupport.kube.KubeCluster;
import io.spidernet.spiderpool.testsupport.kube.TestNamespace;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A stateless pod's SpiderEndpoint is garbage-collected by kube-controller-manager once the pod is gone. */
@ExtendWith(KubeCluster.class)
class EndpointGarbageCollectionIT {
  @Test
  void endpointOwnedByADeletedPodIsCollected(KubernetesClient client, TestNamespace ns) {
    Pod pod = client.resource(pod(ns, "gc-me")).create();
    client.resource(endpoint(pod, false)).create();

    client.resource(pod).withGracePeriod(0).delete();

    client.resources(SpiderEndpoint.class).inNamespace(ns.name()).withName("gc-me")
        .waitUntilCondition(se -> se == null, 60, TimeUnit.SECONDS);
  }

  @Test
  void theFinalizerHoldsTheEndpointUntilItsIPsAreReleased(KubernetesClient client, TestNamespace ns) {
    Pod pod = client.resource(pod(ns, "held")).create();
    client.resource(endpoint(pod, true)).create();

    client.resource(pod).withGracePeriod(0).delete();

    SpiderEndpoint terminating = client.resources(SpiderEndpoint.class).inNamespace(ns.name()).withName("held")
        .waitUntilCondition(se -> se != null && se.getMetadata().getDeletionTimestamp() != null, 60, TimeUnit.SECONDS);
    assertThat(terminating.getMetadata().getFinalizers()).containsExactly(Constants.FINALIZER);

    terminating.getMetadata().setFinalizers(List.of());
    client.resource(terminating).update();
    client.resources(SpiderEndpoint.class).inNamespace(ns.name()).withName("held")
        .waitUntilCondition(se -> se == null, 30, TimeUnit.SECONDS);
  }

  private static Pod pod(TestNamespace ns, String name) {
    return new PodBuilder()
        .withNewMetadata().withName(name).withNamespace(ns.name()).endMetadata()
        .withNewSpec().withNodeName("worker-node-1")
        .addNewContainer().withName("app").withImage("nginx").endContainer()
        .endSpec()
        .build();
  }

  private static SpiderEndpoint endpoint(Pod pod, boolean finalizer) {
    SpiderEndpoint se = Fixtures.endpoint(pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
        pod.getMetadata().getUid(), "worker-node-1", "10.6.168.61/16", "test-ippool-6");
    se.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder()
        .withApiVersion("v1").withKind("Pod").withName(pod.getMetadata().getName())
        .withUid(pod.getMetadata().getUid()).build()));
    if (finalizer) {
      se.getMetadata().setFinalizers(List.of(Constants.FINALIZER));
    }
    return se;
  }
}
