package io.spidernet.spiderpool.agent.it;

import io.spidernet.spiderpool.api.v2beta1.IPPoolSpec;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import java.util.List;

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
}
