package io.spidernet.spiderpool.controller.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spidernet.spiderpool.api.codec.PoolIPAllocation;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.controller.runtime.Events;
import io.spidernet.spiderpool.testsupport.Eventually;
import io.spidernet.spiderpool.testsupport.kube.KubeCluster;
import io.spidernet.spiderpool.testsupport.kube.LocalCluster;
import io.spidernet.spiderpool.testsupport.kube.TestNamespace;
import io.spidernet.spiderpool.webhook.rules.WebhookConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The controller's reconcilers against the real API server: the leader keeps pool counts true,
 * and its GC scan releases the records of pods that are gone or re-created, never a live pod's,
 * each release explained by an Event; in dry-run mode it only says what it would release; a second
 * replica takes over when the leader goes.
 */
@ExtendWith(KubeCluster.class)
class GcIT {
  private static final Map<String, String> FAST = Map.of("SPIDERPOOL_GC_DEFAULT_INTERVAL_DURATION", "1",
      "SPIDERPOOL_LEADER_DURATION", "4", "SPIDERPOOL_LEADER_RENEW_DEADLINE", "3", "SPIDERPOOL_LEADER_RETRY_PERIOD", "1");

  private static SpiderIPPool pool(KubernetesClient client, String name, String net) {
    return client.resource(client.getKubernetesSerialization().unmarshal("apiVersion: spiderpool.spidernet.io/v2beta1\n"
        + "kind: SpiderIPPool\nmetadata: {name: " + name + "}\nspec: {subnet: " + net + ".0/24, ips: [" + net + ".10-" + net
        + ".29]}\n", SpiderIPPool.class)).create();
  }

  private static Pod runningPod(KubernetesClient client, String ns, String name, String ip) {
    Pod pod = client.resource(new PodBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata().withNewSpec()
        .addNewContainer().withName("c").withImage("x").endContainer().endSpec().build()).create();
    pod.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Running").addNewPodIP(ip).build());
    return client.resource(pod).updateStatus();
  }

  /** Events about this incarnation of the pool (Events outlive a deleted pool of the same name). */
  private static List<Event> events(KubernetesClient client, String pool, String reason) {
    String uid = client.resources(SpiderIPPool.class).withName(pool).get().getMetadata().getUid();
    return client.v1().events().inNamespace(Events.NAMESPACE).list().getItems().stream()
        .filter(e -> uid.equals(e.getInvolvedObject().getUid()) && reason.equals(e.getReason())).toList();
  }

  @Test
  void orphansAreReleasedWithAnEventAndLivePodsKeepTheirIPs(LocalCluster cluster, KubernetesClient client, TestNamespace ns)
      throws Exception {
    try (Controllers controllers = Controllers.start(cluster, client, ns.name(), FAST, WebhookConfig.defaults())) {
      String gcA = ns.unique("gc-a");
      pool(client, gcA, "10.120.0");
      Eventually.until("the leader writes totalIPCount of a pool nobody allocated from", Duration.ofSeconds(20), () -> {
        SpiderIPPool p = client.resources(SpiderIPPool.class).withName(gcA).get();
        return p.getStatus() != null && Long.valueOf(20).equals(p.getStatus().totalIPCount)
            && Long.valueOf(0).equals(p.getStatus().allocatedIPCount);
      });
      Pod live = runningPod(client, ns.name(), "live", "10.120.0.10");
      Pod recreated = runningPod(client, ns.name(), "recreated", "10.120.0.12");
      Map<String, PoolIPAllocation> records = new TreeMap<>();
      records.put("10.120.0.10", PoolIPAllocation.of(ns.name(), "live", live.getMetadata().getUid()));
      records.put("10.120.0.11", PoolIPAllocation.of(ns.name(), "gone", "uid-of-a-pod-that-is-gone"));
      records.put("10.120.0.12", PoolIPAllocation.of(ns.name(), "recreated", recreated.getMetadata().getUid()));
      records.put("10.120.0.13", PoolIPAllocation.of(ns.name(), "recreated", "uid-of-the-former-incarnation"));
      PoolRecords.write(client, gcA, records);

      Eventually.until("the orphans are released", Duration.ofSeconds(30),
          () -> PoolRecords.read(client, gcA).keySet().equals(java.util.Set.of("10.120.0.10", "10.120.0.12")));
      SpiderIPPool after = client.resources(SpiderIPPool.class).withName(gcA).get();
      assertThat(after.getStatus().allocatedIPCount).isEqualTo(2L);
      Eventually.until("two IPReleased Events", Duration.ofSeconds(10),
          () -> events(client, gcA, Events.IP_RELEASED).size() == 2);
      assertThat(events(client, gcA, Events.IP_RELEASED)).extracting(Event::getMessage)
          .anySatisfy(m -> assertThat(m).contains("10.120.0.11", ns.name() + "/gone", "uid-of-a-pod-that-is-gone", "rule pod-gone"))
          .anySatisfy(m -> assertThat(m).contains("10.120.0.13", "uid-of-the-former-incarnation", "rule recreated"));
      Thread.sleep(3000);
      assertThat(PoolRecords.read(client, gcA)).as("live pods keep their IPs over further scans").containsOnlyKeys("10.120.0.10",
          "10.120.0.12");
      client.resources(SpiderIPPool.class).withName(gcA).delete();
    }
  }

  @Test
  void dryRunOnlySaysWhatItWouldRelease(LocalCluster cluster, KubernetesClient client, TestNamespace ns) throws Exception {
    Map<String, String> env = new java.util.HashMap<>(FAST);
    env.put("SPIDERPOOL_GC_DRY_RUN", "true");
    try (Controllers controllers = Controllers.start(cluster, client, ns.name(), env, WebhookConfig.defaults())) {
      String gcDry = ns.unique("gc-dry");
      pool(client, gcDry, "10.121.0");
      PoolRecords.write(client, gcDry, Map.of("10.121.0.10", PoolIPAllocation.of(ns.name(), "gone", "uid-gone")));
      Eventually.until("an IPReleaseWouldHappen Event", Duration.ofSeconds(30),
          () -> !events(client, gcDry, Events.IP_RELEASE_WOULD_HAPPEN).isEmpty());
      assertThat(PoolRecords.read(client, gcDry)).containsOnlyKeys("10.121.0.10");
      assertThat(events(client, gcDry, Events.IP_RELEASED)).isEmpty();
      PoolRecords.write(client, gcDry, Map.of());
      client.resources(SpiderIPPool.class).withName(gcDry).delete();
    }
  }

  @Test
  void aSecondReplicaTakesOverWhenTheLeaderGoes(LocalCluster cluster, KubernetesClient client, TestNamespace ns) throws Exception {
    Map<String, String> a = new java.util.HashMap<>(FAST);
    a.put("SPIDERPOOL_POD_NAME", "controller-a");
    Map<String, String> b = new java.util.HashMap<>(FAST);
    b.put("SPIDERPOOL_POD_NAME", "controller-b");
    Controllers first = Controllers.start(cluster, client, ns.name(), a, WebhookConfig.defaults());
    Controllers second = Controllers.start(cluster, client, ns.name(), b, WebhookConfig.defaults());
    try {
      Eventually.until("one replica leads", Duration.ofSeconds(20), () -> first.app().leading() || second.app().leading());
      Thread.sleep(2000);
      assertThat(first.app().leading() && second.app().leading()).as("never two leaders").isFalse();
      Controllers leader = first.app().leading() ? first : second;
      Controllers other = leader == first ? second : first;
      leader.close();
      Eventually.until("the other replica takes over within the lease", Duration.ofSeconds(10), () -> other.app().leading());
    } finally {
      first.close();
      second.close();
    }
  }
}
