package io.spidernet.spiderpool.api.codec;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One record of a pool's {@code status.allocatedIPs}: which pod incarnation holds the IP.
 *
 * @param pod {@code <namespace>/<name>} (for KubeVirt pods, the VMI name)
 * @param podUid the pod's UID
 */
public record PoolIPAllocation(@JsonProperty("pod") String pod, @JsonProperty("podUid") String podUid) {
  public static PoolIPAllocation of(String namespace, String name, String uid) {
    return new PoolIPAllocation(namespace + "/" + name, uid);
  }

  public String namespace() {
    int slash = pod.indexOf('/');
    return slash < 0 ? "" : pod.substring(0, slash);
  }

  public String name() {
    return pod.substring(pod.indexOf('/') + 1);
  }
}
