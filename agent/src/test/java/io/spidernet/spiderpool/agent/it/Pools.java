package io.spidernet.spiderpool.agent.it;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.spidernet.spiderpool.api.codec.PoolIPAllocation;
import io.spidernet.spiderpool.api.codec.PoolIPAllocations;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import java.util.SortedMap;

/** What the agent scenarios read of their pools (the pools themselves: {@code it.Fixtures.pool}). */
public final class Pools {
  private Pools() {}

  /** The records of pool {@code name} as the API server has them now, by IP. */
  public static SortedMap<String, PoolIPAllocation> records(KubernetesClient client, String name) {
    SpiderIPPool p = client.resources(SpiderIPPool.class).withName(name).get();
    return PoolIPAllocations.decode(name, p.getStatus() == null ? null : p.getStatus().allocatedIPs);
  }
}
