package io.spidernet.spiderpool.controller.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spidernet.spiderpool.api.codec.PoolIPAllocation;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.testsupport.Eventually;
import io.spidernet.spiderpool.testsupport.kube.KubeCluster;
import io.spidernet.spiderpool.testsupport.kube.LocalCluster;
import io.spidernet.spiderpool.testsupport.kube.TcpProxy;
import io.spidernet.spiderpool.testsupport.kube.TestNamespace;
import io.spidernet.spiderpool.webhook.rules.WebhookConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The API server unreachable for 20 s from the controller (scans every second, lease of 4 s): it
 * loses leadership, releases nothing meanwhile, campaigns again once the API server answers, and
 * then releases the orphans, never the live pod's IP.
 */
@ExtendWith(KubeCluster.class)
class GcApiDownIT {
  @Test
  void anOutageReleasesNothingWrongAndGcResumes(LocalCluster cluster, KubernetesClient client, TestNamespace ns) throws Exception {
    String pool = ns.unique("gc-down");
    try (TcpProxy proxy = TcpProxy.inFrontOf(cluster)) {
      Map<String, String> env = new HashMap<>(Map.of("SPIDERPOOL_GC_DEFAULT_INTERVAL_DURATION", "1", "SPIDERPOOL_LEADER_DURATION",
          "4", "SPIDERPOOL_LEADER_RENEW_DEADLINE", "3", "SPIDERPOOL_LEADER_RETRY_PERIOD", "1"));
      env.put("KUBECONFIG", proxy.kubeconfig().toString());
      try (Controllers controllers = Controllers.start(cluster, client, ns.name(), env, WebhookConfig.defaults())) {
        client.resource(client.getKubernetesSerialization().unmarshal("apiVersion: spiderpool.spidernet.io/v2beta1\n"
            + "kind: SpiderIPPool\nmetadata: {name: " + pool + "}\nspec: {subnet: 10.150.0.0/24, ips: [10.150.0.10-10.150.0.99]}\n",
            SpiderIPPool.class)).create();
        Pod live = client.resource(new PodBuilder().withNewMetadata().withName("live").withNamespace(ns.name()).endMetadata()
            .withNewSpec().addNewContainer().withName("c").withImage("x").endContainer().endSpec().build()).create();
        Eventually.until("the controller leads", Duration.ofSeconds(20), () -> controllers.app().leading());

        proxy.cut();
        Map<String, PoolIPAllocation> records = new TreeMap<>();
        records.put("10.150.0.10", PoolIPAllocation.of(ns.name(), "live", live.getMetadata().getUid()));
        for (int i = 11; i < 31; i++) {
          records.put("10.150.0." + i, PoolIPAllocation.of(ns.name(), "gone-" + i, "uid-gone-" + i));
        }
        PoolRecords.write(client, pool, records);
        Eventually.until("the controller stops leading without the API server", Duration.ofSeconds(15),
            () -> !controllers.app().leading());
        Thread.sleep(20_000 - 5_000);
        assertThat(PoolRecords.read(client, pool)).as("nothing released during the outage").hasSize(21);

        proxy.restore();
        Eventually.until("the controller leads again", Duration.ofSeconds(30), () -> controllers.app().leading());
        Eventually.until("the orphans are released once GC resumes", Duration.ofSeconds(30),
            () -> PoolRecords.read(client, pool).size() == 1);
        assertThat(PoolRecords.read(client, pool)).containsOnlyKeys("10.150.0.10");
        assertThat(PoolRecords.read(client, pool).get("10.150.0.10").podUid()).isEqualTo(live.getMetadata().getUid());
        PoolInvariants.assertHold(client, java.util.Set.of(pool));
        PoolRecords.write(client, pool, Map.of());
        client.resources(SpiderIPPool.class).withName(pool).delete();
      }
    }
  }
}
