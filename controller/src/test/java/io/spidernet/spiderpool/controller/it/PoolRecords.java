package io.spidernet.spiderpool.controller.it;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.spidernet.spiderpool.api.codec.PoolIPAllocation;
import io.spidernet.spiderpool.api.codec.PoolIPAllocations;
import io.spidernet.spiderpool.api.v2beta1.IPPoolStatus;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import java.util.Map;

/** A pool's records, read and written straight through its status, as agents do (re-reading on a 409). */
final class PoolRecords {
  private PoolRecords() {}

  static Map<String, PoolIPAllocation> read(KubernetesClient client, String pool) {
    SpiderIPPool p = client.resources(SpiderIPPool.class).withName(pool).get();
    return p.getStatus() == null || p.getStatus().allocatedIPs == null ? Map.of()
        : PoolIPAllocations.decode(pool, p.getStatus().allocatedIPs);
  }

  /** Replaces the records (the controller may write the counts meanwhile: a conflict re-reads). */
  static void write(KubernetesClient client, String pool, Map<String, PoolIPAllocation> records) {
    for (int attempt = 0; ; attempt++) {
      SpiderIPPool stored = client.resources(SpiderIPPool.class).withName(pool).get();
      if (stored.getStatus() == null) {
        stored.setStatus(new IPPoolStatus());
      }
      stored.getStatus().allocatedIPs = records.isEmpty() ? null : PoolIPAllocations.encode(records);
      stored.getStatus().allocatedIPCount = (long) records.size();
      try {
        client.resource(stored).updateStatus();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt > 20) {
          throw e;
        }
      }
    }
  }
}
