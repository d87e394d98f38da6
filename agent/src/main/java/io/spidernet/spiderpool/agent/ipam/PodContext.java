package io.spidernet.spiderpool.agent.ipam;

import io.spidernet.spiderpool.agent.config.AgentConfig;
import io.spidernet.spiderpool.core.endpoint.EndpointHolder;
import io.spidernet.spiderpool.core.pod.TopController;
import java.util.Map;

/**
 * What pool selection knows of the pod being set up: its identity, labels and annotations, its
 * node's labels, its namespace's labels and annotations, and its top controller.
 */
public record PodContext(
    String namespace,
    String name,
    String uid,
    String node,
    Map<String, String> labels,
    Map<String, String> annotations,
    Map<String, String> nodeLabels,
    Map<String, String> namespaceLabels,
    Map<String, String> namespaceAnnotations,
    TopController owner) {

  public String key() {
    return namespace + "/" + name;
  }

  /**
   * Who holds the IPs (spec 1.4): a KubeVirt VM's launcher pods come and go (restarts, live
   * migration) while its VirtualMachineInstance keeps the IPs, so the records and the endpoint are
   * named after the VMI; any other pod holds its own.
   */
  public PodContext holder(AgentConfig config) {
    if (!(config.enableKubevirtStaticIP() && owner.isKubevirtVMI())) {
      return this;
    }
    return new PodContext(namespace, owner.name(), uid, node, labels, annotations, nodeLabels, namespaceLabels,
        namespaceAnnotations, owner);
  }

  /** The SpiderEndpoint's identity for this (holder) context. */
  public EndpointHolder endpoint() {
    return new EndpointHolder(namespace, name, uid, node, owner);
  }
}
