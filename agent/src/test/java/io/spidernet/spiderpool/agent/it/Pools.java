package io.spidernet.spiderpool.agent.it;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.spidernet.spiderpool.api.codec.PoolIPAllocation;
import io.spidernet.spiderpool.api.codec.PoolIPAllocations;
import io.spidernet.spiderpool.api.v2beta1.IPPoolSpec;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import java.util.List;
import java.util.SortedMap;

/** Pools the agent scenarios create. */
public final class Pools {
  private Pools() {}

  public static SpiderIPPool pool(String name, String subnet, String... ips) {
    SpiderIPPool pool = new SpiderIPPool();
    pool.getMetadata().setName(name);
    IPPoolSpec spec = new IPPoolSpec();
    spec.subnet = subnet;
    spec.ips = ips.length == 0 ? null : List.of(ips);
    pool.setSpec(spec);
    return pool;
  }

  /** The records of pool {@code name} as the API server has them now, by IP. */
  public static SortedMap<String, PoolIPAllocation> records(KubernetesClient client, String name) {
    SpiderIPPool p = client.resources(SpiderIPPool.class).withName(name).get();
    return PoolIPAllocations.decode(name, p.getStatus() == null ? null : p.getStatus().allocatedIPs);
  }
}
