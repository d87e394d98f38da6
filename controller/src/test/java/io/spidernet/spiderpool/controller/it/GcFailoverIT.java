package io.spidernet.spiderpool.controller.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spidernet.spiderpool.api.codec.PoolIPAllocation;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.controller.runtime.Events;
import io.spidernet.spiderpool.controller.runtime.Leadership;
import io.spidernet.spiderpool.testsupport.Eventually;
import io.spidernet.spiderpool.testsupport.kube.KubeCluster;
import io.spidernet.spiderpool.testsupport.kube.LocalCluster;
import io.spidernet.spiderpool.testsupport.kube.TestNamespace;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two controller processes; the leader is killed with SIGKILL as soon as its scan has released
 * something: the other takes the lease once it expires and finishes, every orphan is released once
 * (at most one IPReleased Event per IP), and no live pod's IP is touched.
 */
@ExtendWith(KubeCluster.class)
class GcFailoverIT {
  static final int POOLS = 10;

  @Test
  void theOtherReplicaFinishesWhatTheKilledLeaderStarted(LocalCluster cluster, KubernetesClient client, TestNamespace ns)
      throws Exception {
    Map<String, String> fast = Map.of("SPIDERPOOL_GC_DEFAULT_INTERVAL_DURATION", "1", "SPIDERPOOL_LEADER_DURATION", "4",
        "SPIDERPOOL_LEADER_RENEW_DEADLINE", "3", "SPIDERPOOL_LEADER_RETRY_PERIOD", "1");
    Map<String, String> a = new HashMap<>(fast);
    a.put("SPIDERPOOL_POD_NAME", "controller-a");
    Map<String, String> b = new HashMap<>(fast);
    b.put("SPIDERPOOL_POD_NAME", "controller-b");
    try (ControllerProcess first = ControllerProcess.start(cluster, client, ns.name(), a);
        ControllerProcess second = ControllerProcess.start(cluster, client, ns.name(), b)) {
      Eventually.until("a replica holds the lease", Duration.ofSeconds(30), () -> holder(client, ns) != null);
      List<String> pools = new ArrayList<>();
      Map<String, String> live = new TreeMap<>();
      for (int p = 0; p < POOLS; p++) {
        String pool = ns.unique("failover-" + p);
        pools.add(pool);
        String net = "10.160." + p;
        client.resource(client.getKubernetesSerialization().unmarshal("apiVersion: spiderpool.spidernet.io/v2beta1\n"
            + "kind: SpiderIPPool\nmetadata: {name: " + pool + "}\nspec: {subnet: " + net + ".0/24, ips: [" + net + ".10-" + net
            + ".99]}\n", SpiderIPPool.class)).create();
        Pod pod = client.resource(new PodBuilder().withNewMetadata().withName("live-" + p).withNamespace(ns.name()).endMetadata()
            .withNewSpec().addNewContainer().withName("c").withImage("x").endContainer().endSpec().build()).create();
        live.put(pool, net + ".10");
        Map<String, PoolIPAllocation> records = new TreeMap<>();
        records.put(net + ".10", PoolIPAllocation.of(ns.name(), pod.getMetadata().getName(), pod.getMetadata().getUid()));
        for (int i = 11; i < 21; i++) {
          records.put(net + "." + i, PoolIPAllocation.of(ns.name(), "gone-" + p + "-" + i, "uid-gone-" + p + "-" + i));
        }
        PoolRecords.write(client, pool, records);
      }
      Eventually.until("the leader's scan has released something", Duration.ofSeconds(30),
          () -> pools.stream().anyMatch(pool -> PoolRecords.read(client, pool).size() < 11));
      String leader = holder(client, ns);
      (leader.equals("controller-a") ? first : second).kill9();
      Eventually.until("the other replica takes the lease", Duration.ofSeconds(15),
          () -> !leader.equals(holder(client, ns)) && holder(client, ns) != null);
      Eventually.until("every orphan is released", Duration.ofSeconds(30),
          () -> pools.stream().allMatch(pool -> PoolRecords.read(client, pool).size() == 1));
      for (String pool : pools) {
        assertThat(PoolRecords.read(client, pool)).as(pool + " keeps its live pod's IP").containsOnlyKeys(live.get(pool));
        String uid = client.resources(SpiderIPPool.class).withName(pool).get().getMetadata().getUid();
        Map<String, Integer> perIP = new HashMap<>();
        for (Event e : client.v1().events().inNamespace(Events.NAMESPACE).list().getItems()) {
          if (uid.equals(e.getInvolvedObject().getUid()) && Events.IP_RELEASED.equals(e.getReason())) {
            perIP.merge(e.getMessage().substring("released ".length(), e.getMessage().indexOf(' ', "released ".length())), 1,
                Integer::sum);
          }
        }
        assertThat(perIP.values()).as("no IP of " + pool + " released twice").allMatch(n -> n == 1);
        PoolInvariants.assertHold(client, java.util.Set.of(pool));
        PoolRecords.write(client, pool, Map.of());
        client.resources(SpiderIPPool.class).withName(pool).delete();
      }
    }
  }

  private static String holder(KubernetesClient client, TestNamespace ns) {
    Lease lease = client.leases().inNamespace(ns.name()).withName(Leadership.LEASE).get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }
}
