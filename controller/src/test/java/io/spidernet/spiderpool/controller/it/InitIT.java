package io.spidernet.spiderpool.controller.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.spidernet.spiderpool.api.v2beta1.SpiderCoordinator;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.api.v2beta1.SpiderMultusConfig;
import io.spidernet.spiderpool.api.v2beta1.SpiderSubnet;
import io.spidernet.spiderpool.common.config.Settings;
import io.spidernet.spiderpool.controller.init.InitDefaults;
import io.spidernet.spiderpool.controller.init.InitSettings;
import io.spidernet.spiderpool.testsupport.kube.KubeCluster;
import io.spidernet.spiderpool.testsupport.kube.LocalCluster;
import io.spidernet.spiderpool.testsupport.kube.TestNamespace;
import io.spidernet.spiderpool.webhook.rules.WebhookConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code spiderpool-controller init} against the real API server and our webhooks: the chart's defaults, once. */
@ExtendWith(KubeCluster.class)
class InitIT {
  @Test
  void createsTheDefaultsOnceAndASecondRunChangesNothing(LocalCluster cluster, KubernetesClient client, TestNamespace ns)
      throws Exception {
    Path cniDir = Files.createTempDirectory("net.d");
    Files.writeString(cniDir.resolve("10-macvlan.conflist"),
        "{\"cniVersion\":\"0.3.1\",\"name\":\"macvlan-standalone\",\"plugins\":[{\"type\":\"macvlan\",\"master\":\"eth0\"}]}");
    String coordinator = ns.unique("default");
    String subnet = ns.unique("default-v4-subnet");
    String pool = ns.unique("default-v4-ippool");
    Settings settings = Settings.load(InitSettings.ALL, Map.ofEntries(
        Map.entry("SPIDERPOOL_NAMESPACE", ns.name()),
        Map.entry("SPIDERPOOL_INIT_DEFAULT_COORDINATOR_NAME", coordinator),
        Map.entry("SPIDERPOOL_INIT_DEFAULT_COORDINATOR_MODE", "auto"),
        Map.entry("SPIDERPOOL_INIT_DEFAULT_COORDINATOR_POD_CIDR_TYPE", "cluster"),
        Map.entry("SPIDERPOOL_INIT_DEFAULT_COORDINATOR_TUNE_POD_ROUTES", "true"),
        Map.entry("SPIDERPOOL_INIT_DEFAULT_COORDINATOR_HIJACK_CIDR", "[\"169.254.25.10\",\"10.233.0.0/18\"]"),
        Map.entry("SPIDERPOOL_INIT_DEFAULT_IPV4_SUBNET_NAME", subnet),
        Map.entry("SPIDERPOOL_INIT_DEFAULT_IPV4_IPPOOL_NAME", pool),
        Map.entry("SPIDERPOOL_INIT_DEFAULT_IPV4_IPPOOL_SUBNET", "10.140.0.0/16"),
        Map.entry("SPIDERPOOL_INIT_DEFAULT_IPV4_IPPOOL_IPRANGES", "[\"10.140.0.10-10.140.0.200\"]"),
        Map.entry("SPIDERPOOL_INIT_DEFAULT_IPV4_IPPOOL_GATEWAY", "10.140.0.1"),
        Map.entry("SPIDERPOOL_INIT_ENABLE_MULTUS_CONFIG", "true"),
        Map.entry("SPIDERPOOL_INIT_DEFAULT_CNI_DIR", cniDir.toString())));
    try (Controllers controllers = Controllers.start(cluster, client, ns.name(), Map.of(), WebhookConfig.defaults())) {
      try {
        check(client, ns, settings, coordinator, subnet, pool);
      } finally {
        client.resources(SpiderIPPool.class).withName(pool).delete();
        client.resources(SpiderSubnet.class).withName(subnet).delete();
        client.resources(SpiderCoordinator.class).withName(coordinator).delete();
      }
    }
  }

  private static void check(KubernetesClient client, TestNamespace ns, Settings settings, String coordinator, String subnet,
      String pool) throws Exception {
    {
      List<String> first = new InitDefaults(client, settings).run();
      assertThat(first).hasSize(4);
      SpiderCoordinator c = client.resources(SpiderCoordinator.class).withName(coordinator).get();
      assertThat(c.getSpec().hijackCIDR).containsExactly("169.254.25.10/32", "10.233.0.0/18");
      assertThat(c.getSpec().podCIDRType).isEqualTo("cluster");
      SpiderIPPool p = client.resources(SpiderIPPool.class).withName(pool).get();
      assertThat(p.getSpec().defaultPool).isTrue();
      assertThat(p.getSpec().ipVersion).isEqualTo(4L);
      assertThat(p.getMetadata().getOwnerReferences()).as("the webhook ties the pool to the subnet of its CIDR")
          .anySatisfy(r -> assertThat(r.getName()).isEqualTo(subnet));
      assertThat(client.resources(SpiderSubnet.class).withName(subnet).get().getSpec().gateway).isEqualTo("10.140.0.1");
      SpiderMultusConfig smc = client.resources(SpiderMultusConfig.class).inNamespace(ns.name()).withName("macvlan-standalone").get();
      assertThat(smc.getSpec().cniType).isEqualTo("macvlan");
      assertThat(smc.getSpec().enableCoordinator).isFalse();

      String versions = c.getMetadata().getResourceVersion() + client.resources(SpiderSubnet.class).withName(subnet).get()
          .getMetadata().getResourceVersion() + smc.getMetadata().getResourceVersion();
      assertThat(new InitDefaults(client, settings).run()).as("a second run creates nothing").isEmpty();
      assertThat(client.resources(SpiderCoordinator.class).withName(coordinator).get().getMetadata().getResourceVersion()
          + client.resources(SpiderSubnet.class).withName(subnet).get().getMetadata().getResourceVersion()
          + client.resources(SpiderMultusConfig.class).inNamespace(ns.name()).withName("macvlan-standalone").get().getMetadata()
              .getResourceVersion()).as("and changes nothing").isEqualTo(versions);
    }
  }
}
