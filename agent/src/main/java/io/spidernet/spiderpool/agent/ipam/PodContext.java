package io.spidernet.spiderpool.agent.ipam;

import io.spidernet.spiderpool.agent.config.AgentConfig;
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

  public static final String KUBEVIRT_VMI = "VirtualMachineInstance";

  /**
   * The controller at the top of the pod's owner chain (Deployment over ReplicaSet, CronJob over
   * Job), or the pod itself ({@code Pod}, group "" version v1) when it has no owner.
   */
  public record TopController(String group, String version, String kind, String namespace, String name, String uid) {
    public boolean isStatefulSet() {
      return kind.equals("StatefulSet") && group.equals("apps");
    }

    public boolean isKubevirtVMI() {
      return kind.equals(KUBEVIRT_VMI) && group.equals("kubevirt.io");
    }

    /**
     * Whether this controller's pods keep their IPs across re-creation (their endpoint outlives
     * them): StatefulSets and KubeVirt VMIs, each when its feature is on.
     */
    public boolean keepsIPs(AgentConfig config) {
      return (config.enableStatefulSet() && isStatefulSet()) || (config.enableKubevirtStaticIP() && isKubevirtVMI());
    }
  }
}
