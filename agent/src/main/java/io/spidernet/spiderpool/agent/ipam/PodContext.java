package io.spidernet.spiderpool.agent.ipam;

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
   * The controller at the top of the pod's owner chain (Deployment over ReplicaSet, CronJob over
   * Job), or the pod itself ({@code Pod}, group "" version v1) when it has no owner.
   */
  public record TopController(String group, String version, String kind, String namespace, String name, String uid) {
    public boolean isStatefulSet() {
      return kind.equals("StatefulSet") && group.equals("apps");
    }
  }
}
