package io.spidernet.spiderpool.controller.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.spidernet.spiderpool.api.Constants;
import io.spidernet.spiderpool.api.codec.ControlledIPPools;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.api.v2beta1.SpiderSubnet;
import io.spidernet.spiderpool.testsupport.Eventually;
import io.spidernet.spiderpool.testsupport.kube.KubeCluster;
import io.spidernet.spiderpool.testsupport.kube.LocalCluster;
import io.spidernet.spiderpool.testsupport.kube.TestNamespace;
import io.spidernet.spiderpool.webhook.rules.WebhookConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A SpiderSubnet and its manual pools through the real API server (spec 6.5): a pool created before
 * its subnet is adopted, the subnet's status counts what its pools hold, and deleting the subnet
 * deletes its pools first.
 */
@ExtendWith(KubeCluster.class)
class SubnetIT {
  private static SpiderIPPool pool(KubernetesClient client, String name) {
    return client.resources(SpiderIPPool.class).withName(name).get();
  }

  private static SpiderSubnet subnet(KubernetesClient client, String name) {
    return client.resources(SpiderSubnet.class).withName(name).get();
  }

  @Test
  void poolsAreAdoptedCountedAndGoFirst(LocalCluster cluster, KubernetesClient client, TestNamespace ns) throws Exception {
    String early = ns.unique("early");
    String late = ns.unique("late");
    String sub = ns.unique("sub");
    try (Controllers controllers = Controllers.start(cluster, client, ns.name(), Map.of(), WebhookConfig.defaults())) {
      client.resource(client.getKubernetesSerialization().unmarshal("apiVersion: spiderpool.spidernet.io/v2beta1\n"
          + "kind: SpiderIPPool\nmetadata: {name: " + early + "}\nspec: {subnet: 10.161.0.0/24, ips: [10.161.0.10-10.161.0.19]}\n",
          SpiderIPPool.class)).create();
      client.resource(client.getKubernetesSerialization().unmarshal("apiVersion: spiderpool.spidernet.io/v2beta1\n"
          + "kind: SpiderSubnet\nmetadata: {name: " + sub + "}\nspec: {subnet: 10.161.0.0/24, ips: [10.161.0.10-10.161.0.200], "
          + "gateway: 10.161.0.1}\n", SpiderSubnet.class)).create();
      Eventually.until("the pool made before its subnet is adopted", Duration.ofSeconds(20), () -> {
        SpiderIPPool p = pool(client, early);
        return p.getMetadata().getLabels() != null && sub.equals(p.getMetadata().getLabels().get(Constants.LABEL_OWNER_SPIDER_SUBNET));
      });
      SpiderIPPool adopted = pool(client, early);
      assertThat(adopted.getMetadata().getOwnerReferences()).anySatisfy(r -> {
        assertThat(r.getKind()).isEqualTo("SpiderSubnet");
        assertThat(r.getName()).isEqualTo(sub);
        assertThat(r.getController()).isTrue();
      });
      assertThat(adopted.getSpec().gateway).as("inherited from the subnet").isEqualTo("10.161.0.1");

      client.resource(client.getKubernetesSerialization().unmarshal("apiVersion: spiderpool.spidernet.io/v2beta1\n"
          + "kind: SpiderIPPool\nmetadata: {name: " + late + "}\nspec: {subnet: 10.161.0.0/24, ips: [10.161.0.100-10.161.0.104]}\n",
          SpiderIPPool.class)).create();
      Eventually.until("the subnet counts both pools", Duration.ofSeconds(20), () -> {
        SpiderSubnet s = subnet(client, sub);
        return s.getStatus() != null && Long.valueOf(15).equals(s.getStatus().allocatedIPCount);
      });
      SpiderSubnet counted = subnet(client, sub);
      assertThat(counted.getStatus().totalIPCount).isEqualTo(191L);
      assertThat(ControlledIPPools.decode(sub, counted.getStatus().controlledIPPools)).containsOnlyKeys(early, late);
      assertThat(ControlledIPPools.decode(sub, counted.getStatus().controlledIPPools).get(late).ips())
          .containsExactly("10.161.0.100-10.161.0.104");

      client.resources(SpiderSubnet.class).withName(sub).delete();
      Eventually.until("the subnet's pools go, then the subnet", Duration.ofSeconds(60),
          () -> pool(client, early) == null && pool(client, late) == null && subnet(client, sub) == null);
    } finally {
      client.resources(SpiderIPPool.class).withName(early).delete();
      client.resources(SpiderIPPool.class).withName(late).delete();
    }
  }
}
