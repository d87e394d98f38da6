package io.spidernet.spiderpool.it.statusconflict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.spidernet.spiderpool.api.codec.PoolIPAllocation;
import io.spidernet.spiderpool.api.codec.PoolIPAllocations;
import io.spidernet.spiderpool.api.v2beta1.IPPoolStatus;
import io.spidernet.spiderpool.api.v2beta1.SpiderEndpoint;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.it.Fixtures;
import io.spidernet.spiderpool.testsupport.kube.KubeCluster;
import io.spidernet.spiderpool.testsupport.kube.TestNamespace;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two agents writing the same pool cannot lose each other's records: a status write with a stale
 * resourceVersion gets 409 from the real API server, and status goes only through /status.
 */
@ExtendWith(KubeCluster.class)
class StatusConflictIT {
  @Test
  void aStaleStatusWriteIsRefusedWith409(KubernetesClient client, TestNamespace ns) {
    SpiderIPPool created = client.resource(pool(ns.unique("conflict"))).create();
    try {
      SpiderIPPool agentA = client.resources(SpiderIPPool.class).withName(created.getMetadata().getName()).get();
      SpiderIPPool agentB = client.resources(SpiderIPPool.class).withName(created.getMetadata().getName()).get();

      agentA.setStatus(status("10.8.0.10", "default/pod-a", "uid-a"));
      client.resource(agentA).updateStatus();

      agentB.setStatus(status("10.8.0.10", "default/pod-b", "uid-b"));
      assertThatThrownBy(() -> client.resource(agentB).updateStatus())
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));

      SpiderIPPool now = client.resources(SpiderIPPool.class).withName(created.getMetadata().getName()).get();
      assertThat(PoolIPAllocations.decode("conflict", now.getStatus().allocatedIPs))
          .containsExactly(Map.entry("10.8.0.10", new PoolIPAllocation("default/pod-a", "uid-a")));
    } finally {
      client.resource(created).delete();
    }
  }

  @Test
  void statusWrittenThroughTheMainResourceIsIgnored(KubernetesClient client, TestNamespace ns) {
    SpiderIPPool created = client.resource(pool(ns.unique("main-write"))).create();
    try {
      created.setStatus(status("10.8.0.11", "default/pod-c", "uid-c"));
      SpiderIPPool updated = client.resource(created).update();
      assertThat(updated.getStatus()).as("status sent with the main resource").isNull();
    } finally {
      client.resource(created).delete();
    }
  }

  @Test
  void anEndpointKeepsTheStatusItIsCreatedWith(KubernetesClient client, TestNamespace ns) {
    // SpiderEndpoint has no status subresource upstream: one create carries the whole allocation.
    SpiderEndpoint se = Fixtures.endpoint(ns.name(), "pod-a", "uid-a", "worker-node-1", "10.8.0.10/16", "conflict");
    SpiderEndpoint stored = client.resource(se).create();
    assertThat(stored.getStatus().current.ips.get(0).ipv4).isEqualTo("10.8.0.10/16");
    assertThat(stored.getStatus().current.ips.get(0).vlan).as("CRD default").isEqualTo(0L);
  }

  private static SpiderIPPool pool(String name) {
    return Fixtures.pool(name, "10.8.0.0/16", "10.8.0.10-10.8.0.20");
  }

  private static IPPoolStatus status(String ip, String pod, String uid) {
    IPPoolStatus status = new IPPoolStatus();
    status.allocatedIPs = PoolIPAllocations.encode(Map.of(ip, new PoolIPAllocation(pod, uid)));
    status.allocatedIPCount = 1L;
    return status;
  }
}
