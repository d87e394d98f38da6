package io.spidernet.spiderpool.controller.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spidernet.spiderpool.api.nad.NetworkAttachmentDefinition;
import io.spidernet.spiderpool.api.nad.NetworkAttachmentDefinitionSpec;
import io.spidernet.spiderpool.api.v2beta1.SpiderMultusConfig;
import io.spidernet.spiderpool.controller.runtime.Events;
import io.spidernet.spiderpool.testsupport.Eventually;
import io.spidernet.spiderpool.testsupport.RepoDir;
import io.spidernet.spiderpool.testsupport.kube.KubeCluster;
import io.spidernet.spiderpool.testsupport.kube.Kubectl;
import io.spidernet.spiderpool.testsupport.kube.LocalCluster;
import io.spidernet.spiderpool.testsupport.kube.TestNamespace;
import io.spidernet.spiderpool.webhook.rules.WebhookConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * SpiderMultusConfig -> NetworkAttachmentDefinition through the real API server, our webhooks and
 * kube-controller-manager's garbage collector: seed 003's SMC renders its NAD, the NAD is kept as
 * rendered (edited or deleted, it comes back), goes with its SMC, and a NAD someone else controls is
 * never taken.
 */
@ExtendWith(KubeCluster.class)
class MultusConfigIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Map<String, String> ENV = Map.of("SPIDERPOOL_MULTUS_CONFIG_ENABLED", "true");

  /** Seed 003, cluster-a's SpiderMultusConfig, as the document applies it (examples/seeds, generated from the document). */
  static String seed003Smc() throws java.io.IOException {
    String all = Files.readString(RepoDir.resolve("examples/seeds/003_3f16589b5d0c42de.yaml"));
    return java.util.Arrays.stream(all.split("\n---\n")).filter(d -> d.contains("kind: SpiderMultusConfig") && d.contains("- cluster-a"))
        .findFirst().orElseThrow();
  }

  private static NetworkAttachmentDefinition nad(KubernetesClient client, String ns, String name) {
    return client.resources(NetworkAttachmentDefinition.class).inNamespace(ns).withName(name).get();
  }

  @Test
  void seed003RendersItsNadWhichIsKeptAsRenderedAndGoesWithIt(LocalCluster cluster, KubernetesClient client, Kubectl kubectl,
      TestNamespace ns) throws Exception {
    Path yaml = Files.createTempFile("smc", ".yaml");
    Files.writeString(yaml, seed003Smc());
    try (Controllers controllers = Controllers.start(cluster, client, ns.name(), ENV, WebhookConfig.defaults())) {
      kubectl.run("apply", "-f", yaml.toString());
      Eventually.until("the NAD kube-system/macvlan-conf is rendered", Duration.ofSeconds(20),
          () -> nad(client, "kube-system", "macvlan-conf") != null);
      NetworkAttachmentDefinition rendered = nad(client, "kube-system", "macvlan-conf");
      JsonNode expected = JSON.readTree("""
          {"cniVersion":"0.3.1","name":"macvlan-conf","plugins":[
            {"type":"macvlan","master":"ens224","mode":"bridge","mtu":0,
             "ipam":{"type":"spiderpool","default_ipv4_ippool":["cluster-a"]}},
            {"txQueueLen":0,"tunePodRoutes":true,"mode":"auto","podRPFilter":0,
             "hijackCIDR":["10.243.0.0/18","172.111.0.0/16"],"type":"coordinator"}]}""");
      assertThat(JSON.readTree(rendered.getSpec().config)).isEqualTo(expected);
      SpiderMultusConfig smc = client.resources(SpiderMultusConfig.class).inNamespace("kube-system").withName("macvlan-conf").get();
      OwnerReference owner = rendered.getMetadata().getOwnerReferences().get(0);
      assertThat(owner.getUid()).isEqualTo(smc.getMetadata().getUid());
      assertThat(owner.getController()).isTrue();
      assertThat(kubectl.run("get", "network-attachment-definitions.k8s.cni.cncf.io", "-n", "kube-system")).contains("macvlan-conf");

      rendered.setSpec(new NetworkAttachmentDefinitionSpec("{\"cniVersion\":\"0.3.1\",\"name\":\"edited\",\"plugins\":[]}"));
      client.resource(rendered).update();
      Eventually.until("an edited NAD is rendered again", Duration.ofSeconds(20),
          () -> JSON.readTree(nad(client, "kube-system", "macvlan-conf").getSpec().config).equals(expected));
      String before = nad(client, "kube-system", "macvlan-conf").getMetadata().getUid();
      client.resources(NetworkAttachmentDefinition.class).inNamespace("kube-system").withName("macvlan-conf").delete();
      Eventually.until("a deleted NAD is created again", Duration.ofSeconds(20), () -> {
        NetworkAttachmentDefinition again = nad(client, "kube-system", "macvlan-conf");
        return again != null && !again.getMetadata().getUid().equals(before) && JSON.readTree(again.getSpec().config).equals(expected);
      });

      kubectl.run("delete", "-f", yaml.toString());
      Eventually.until("the NAD goes with its SpiderMultusConfig", Duration.ofSeconds(30),
          () -> nad(client, "kube-system", "macvlan-conf") == null);
    }
  }

  @Test
  void aNadSomeoneElseControlsIsNeverTaken(LocalCluster cluster, KubernetesClient client, TestNamespace ns) throws Exception {
    var owner = client.configMaps().inNamespace(ns.name()).resource(new ConfigMapBuilder().withNewMetadata().withName("owner")
        .endMetadata().build()).create();
    NetworkAttachmentDefinition theirs = new NetworkAttachmentDefinition();
    theirs.getMetadata().setName("theirs");
    theirs.getMetadata().setNamespace(ns.name());
    theirs.getMetadata().setOwnerReferences(java.util.List.of(new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder()
        .withApiVersion("v1").withKind("ConfigMap").withName("owner").withUid(owner.getMetadata().getUid()).withController(true)
        .build()));
    String config = "{\"cniVersion\":\"0.3.1\",\"name\":\"theirs\",\"plugins\":[{\"type\":\"bridge\"}]}";
    theirs.setSpec(new NetworkAttachmentDefinitionSpec(config));
    client.resource(theirs).create();
    try (Controllers controllers = Controllers.start(cluster, client, ns.name(), ENV, WebhookConfig.defaults())) {
      client.resource(client.getKubernetesSerialization().unmarshal("apiVersion: spiderpool.spidernet.io/v2beta1\n"
          + "kind: SpiderMultusConfig\nmetadata: {name: theirs, namespace: " + ns.name() + "}\n"
          + "spec: {cniType: ipvlan, ipvlan: {master: [eth1]}}\n", SpiderMultusConfig.class)).create();
      Eventually.until("the SMC is told the NAD is someone else's", Duration.ofSeconds(20), () ->
          client.v1().events().inNamespace(ns.name()).list().getItems().stream().map(Event::getReason)
              .anyMatch(Events.NAD_NOT_RENDERED::equals));
      assertThat(client.v1().events().inNamespace(ns.name()).list().getItems().stream()
          .filter(e -> Events.NAD_NOT_RENDERED.equals(e.getReason())).findFirst().orElseThrow().getMessage())
          .contains("NetworkAttachmentDefinition " + ns.name() + "/theirs is controlled by ConfigMap owner");
      assertThat(nad(client, ns.name(), "theirs").getSpec().config).isEqualTo(config);
      client.resources(SpiderMultusConfig.class).inNamespace(ns.name()).withName("theirs").delete();
    }
  }
}
