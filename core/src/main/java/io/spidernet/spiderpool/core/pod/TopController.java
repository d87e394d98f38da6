package io.spidernet.spiderpool.core.pod;

/**
 * The controller at the top of a pod's owner chain (Deployment over ReplicaSet, CronJob over Job),
 * or the pod itself ({@code Pod}, group "" version v1) when it has no owner.
 */
public record TopController(String group, String version, String kind, String namespace, String name, String uid) {
  public static final String KUBEVIRT_VMI = "VirtualMachineInstance";

  public boolean isStatefulSet() {
    return kind.equals("StatefulSet") && group.equals("apps");
  }

  public boolean isKubevirtVMI() {
    return kind.equals(KUBEVIRT_VMI) && group.equals("kubevirt.io");
  }

  /**
   * Whether this controller's pods keep their IPs across re-creation (their endpoint outlives them):
   * StatefulSets when {@code statefulSets} is on, KubeVirt VMIs when {@code kubevirtVMs} is on.
   */
  public boolean keepsIPs(boolean statefulSets, boolean kubevirtVMs) {
    return (statefulSets && isStatefulSet()) || (kubevirtVMs && isKubevirtVMI());
  }
}
