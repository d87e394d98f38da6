package io.spidernet.spiderpool.agent.it;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.spidernet.spiderpool.api.codec.PoolIPAllocation;
import io.spidernet.spiderpool.api.codec.PoolIPAllocations;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import java.util.SortedMap;

/** What the agent scenarios read of their pools (the pools themselves: {@code it.Fixtures.pool}). */
public final class Pools {
  private Pools() {}

  /**
   * Adds a record of {@code ip} for pod {@code namespace/pod} incarnation {@code uid} straight to the
   * pool's status, as an agent killed after its pool write and before its endpoint write leaves it.
   */
  public static void recordDirectly(KubernetesClient client, String name, String ip, String namespace, String pod,
      String uid) {
    client.resources(SpiderIPPool.class).withName(name).editStatus(p -> {
      SortedMap<String, PoolIPAllocation> records = new java.util.TreeMap<>(PoolIPAllocations.decode(name,
          p.getStatus() == null ? null : p.getStatus().allocatedIPs));
      records.put(ip, PoolIPAllocation.of(namespace, pod, uid));
      if (p.getStatus() == null) {
        p.setStatus(new io.spidernet.spiderpool.api.v2beta1.IPPoolStatus());
      }
      p.getStatus().allocatedIPs = PoolIPAllocations.encode(records);
      p.getStatus().allocatedIPCount = (long) records.size();
      return p;
    });
  }

  /** The records of pool {@code name} as the API server has them now, by IP. */
  public static SortedMap<String, PoolIPAllocation> records(KubernetesClient client, String name) {
    SpiderIPPool p = client.resources(SpiderIPPool.class).withName(name).get();
    return PoolIPAllocations.decode(name, p.getStatus() == null ? null : p.getStatus().allocatedIPs);
  }
}
