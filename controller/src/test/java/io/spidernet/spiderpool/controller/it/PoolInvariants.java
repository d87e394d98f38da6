package io.spidernet.spiderpool.controller.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spidernet.spiderpool.api.codec.PoolIPAllocation;
import io.spidernet.spiderpool.api.codec.PoolIPAllocations;
import io.spidernet.spiderpool.api.v2beta1.IPAllocationDetail;
import io.spidernet.spiderpool.api.v2beta1.SpiderEndpoint;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.core.endpoint.EndpointView;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What must hold over the pools after any GC test, read from the API server: no IP recorded twice,
 * every record held by a pod that exists with the record's UID, SpiderEndpoints agreeing with the
 * records in both directions, and each pool's {@code allocatedIPCount} equal to its records.
 */
final class PoolInvariants {
  private PoolInvariants() {}

  static void assertHold(KubernetesClient client, Set<String> pools) {
    Map<String, String> poolOfIP = new HashMap<>();
    Set<String> namespaces = new HashSet<>();
    for (String name : pools) {
      SpiderIPPool pool = client.resources(SpiderIPPool.class).withName(name).get();
      assertThat(pool).as("SpiderIPPool " + name).isNotNull();
      Map<String, PoolIPAllocation> records = pool.getStatus() == null || pool.getStatus().allocatedIPs == null ? Map.of()
          : PoolIPAllocations.decode(name, pool.getStatus().allocatedIPs);
      long count = pool.getStatus() == null || pool.getStatus().allocatedIPCount == null ? 0 : pool.getStatus().allocatedIPCount;
      assertThat(count).as(name + ": allocatedIPCount equals its records").isEqualTo(records.size());
      for (Map.Entry<String, PoolIPAllocation> r : records.entrySet()) {
        String ip = r.getKey();
        PoolIPAllocation record = r.getValue();
        assertThat(poolOfIP.put(ip, name)).as(ip + " recorded in one pool only").isNull();
        Pod pod = client.pods().inNamespace(record.namespace()).withName(record.name()).get();
        assertThat(pod).as(name + " records " + ip + " for " + record.pod() + ", which must exist").isNotNull();
        assertThat(pod.getMetadata().getUid()).as(ip + " of " + name + " belongs to the pod's live incarnation")
            .isEqualTo(record.podUid());
        namespaces.add(record.namespace());
        SpiderEndpoint se = client.resources(SpiderEndpoint.class).inNamespace(record.namespace()).withName(record.name()).get();
        if (se != null) {
          assertThat(EndpointView.uid(se)).as("the SpiderEndpoint of " + record.pod() + " is of the recorded incarnation")
              .isEqualTo(record.podUid());
          assertThat(EndpointView.nics(se)).as("the SpiderEndpoint of " + record.pod() + " lists " + ip)
              .anyMatch(d -> ip.equals(bare(d.ipv4)) || ip.equals(bare(d.ipv6)));
        }
      }
    }
    for (String ns : namespaces) {
      for (SpiderEndpoint se : client.resources(SpiderEndpoint.class).inNamespace(ns).list().getItems()) {
        for (IPAllocationDetail d : EndpointView.nics(se)) {
          for (String[] ipAndPool : new String[][] {{bare(d.ipv4), d.ipv4Pool}, {bare(d.ipv6), d.ipv6Pool}}) {
            if (ipAndPool[0] != null && pools.contains(ipAndPool[1])) {
              assertThat(poolOfIP.get(ipAndPool[0])).as("SpiderEndpoint " + ns + "/" + se.getMetadata().getName() + " lists "
                  + ipAndPool[0] + " of " + ipAndPool[1] + ", which records it").isEqualTo(ipAndPool[1]);
            }
          }
        }
      }
    }
  }

  private static String bare(String cidr) {
    return cidr == null ? null : cidr.contains("/") ? cidr.substring(0, cidr.indexOf('/')) : cidr;
  }
}
