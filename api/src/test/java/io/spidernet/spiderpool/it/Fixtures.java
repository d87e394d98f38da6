package io.spidernet.spiderpool.it;

import io.spidernet.spiderpool.api.v2beta1.IPAllocationDetail;
import io.spidernet.spiderpool.api.v2beta1.IPPoolSpec;
import io.spidernet.spiderpool.api.v2beta1.PodIPAllocation;
import io.spidernet.spiderpool.api.v2beta1.SpiderEndpoint;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.api.v2beta1.WorkloadEndpointStatus;
import java.util.List;

/** Objects the integration scenarios create, built the way the agent will build them. */
public final class Fixtures {
  private Fixtures() {}

  public static SpiderIPPool pool(String name, String subnet, String... ips) {
    SpiderIPPool pool = new SpiderIPPool();
    pool.getMetadata().setName(name);
    IPPoolSpec spec = new IPPoolSpec();
    spec.subnet = subnet;
    spec.ips = ips.length == 0 ? null : List.of(ips);
    pool.setSpec(spec);
    return pool;
  }

  /** A pool whose NICs route through {@code gateway}. */
  public static SpiderIPPool poolWithGateway(String name, String subnet, String gateway, String... ips) {
    SpiderIPPool pool = pool(name, subnet, ips);
    pool.getSpec().gateway = gateway;
    return pool;
  }

  /** The endpoint of a pod whose eth0 holds {@code ipv4} (CIDR form) from {@code pool}. */
  public static SpiderEndpoint endpoint(String namespace, String pod, String uid, String node, String ipv4, String pool) {
    SpiderEndpoint se = new SpiderEndpoint();
    se.getMetadata().setName(pod);
    se.getMetadata().setNamespace(namespace);
    WorkloadEndpointStatus status = new WorkloadEndpointStatus();
    status.ownerControllerType = "Pod";
    status.ownerControllerName = pod;
    status.current = new PodIPAllocation();
    status.current.uid = uid;
    status.current.node = node;
    IPAllocationDetail eth0 = new IPAllocationDetail();
    eth0.nic = "eth0";
    eth0.ipv4 = ipv4;
    eth0.ipv4Pool = pool;
    status.current.ips = List.of(eth0);
    se.setStatus(status);
    return se;
  }
}
