package io.spidernet.spiderpool.agent.it;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/** Pods for the scenarios: already bound to a node (no scheduler runs), drawing IPv4 from named pools. */
public final class Pods {
  private Pods() {}

  /** Creates pod {@code namespace/name} on {@code node}, its {@code ipam.spidernet.io/ippool} naming {@code ipv4Pools}. */
  public static Pod onNode(KubernetesClient client, String namespace, String node, String name, String... ipv4Pools) {
    return withAnnotation(client, namespace, node, name, "{\"ipv4\":[\"" + String.join("\",\"", ipv4Pools) + "\"]}");
  }

  /** As above, with the annotation's raw value (a test of bad input writes it itself). */
  public static Pod withAnnotation(KubernetesClient client, String namespace, String node, String name, String ippool) {
    return client.resource(new PodBuilder().withNewMetadata().withName(name).withNamespace(namespace)
        .addToAnnotations("ipam.spidernet.io/ippool", ippool).endMetadata()
        .withNewSpec().withNodeName(node).addNewContainer().withName("c").withImage("nginx").endContainer().endSpec()
        .build()).create();
  }
}
