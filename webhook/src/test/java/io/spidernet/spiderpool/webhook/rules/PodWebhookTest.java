package io.spidernet.spiderpool.webhook.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.spidernet.spiderpool.api.v2beta1.SpiderMultusConfig;
import io.spidernet.spiderpool.webhook.review.Kind;
import io.spidernet.spiderpool.webhook.review.Verdict;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The pod webhook (spec 3.7): networks and device resources from labelled SpiderMultusConfigs. */
class PodWebhookTest {
  private final InMemoryView view = new InMemoryView();
  private final PodWebhook webhook = new PodWebhook(view);

  private void smc(String name, String master, String resource, boolean pools) {
    view.multusConfigs.add(Reviews.read(Reviews.tree("metadata: {name: " + name + ", namespace: net, labels: "
        + "{cni.spidernet.io/rdma-resource-inject: roce}}\nspec: {cniType: macvlan, macvlan: {master: [" + master + "], "
        + "rdmaResourceName: " + resource + (pools ? ", ippools: {ipv4: [p1]}" : "") + "}}"), SpiderMultusConfig.class));
  }

  private static String pod(String annotations) {
    return "apiVersion: v1\nkind: Pod\nmetadata: {name: app, namespace: default, annotations: " + annotations + "}\n"
        + "spec: {containers: [{name: c, image: x}, {name: d, image: y, resources: {limits: {spidernet.io/rdma-b: '1'}}}]}";
  }

  @Test
  void injectsNetworksSortedByMasterAndOneOfEachResource() {
    smc("second", "ens2", "spidernet.io/rdma-b", true);
    smc("first", "ens1", "spidernet.io/rdma-a", true);
    JsonNode m = Reviews.mutated(webhook, Reviews.create(Kind.POD, pod("{cni.spidernet.io/rdma-resource-inject: roce}")));
    assertThat(m.path("metadata").path("annotations").path("k8s.v1.cni.cncf.io/networks").asString()).isEqualTo("net/first,net/second");
    assertThat(m.path("spec").path("containers").get(0).path("resources").path("limits").toString())
        .isEqualTo("{\"spidernet.io/rdma-a\":\"1\"}");
  }

  @Test
  void refusesWhatCannotBeInjected() {
    Verdict none = webhook.mutate(Reviews.create(Kind.POD, pod("{cni.spidernet.io/rdma-resource-inject: roce}")));
    assertThat(none.refusal().message()).contains("no spidermultusconfigs with annotation: cni.spidernet.io/rdma-resource-inject:roce");
    smc("nopools", "ens1", "spidernet.io/rdma-a", false);
    Verdict noPools = webhook.mutate(Reviews.create(Kind.POD, pod("{cni.spidernet.io/rdma-resource-inject: roce}")));
    assertThat(noPools.refusal().message()).contains("SpiderMultusConfig net/nopools cannot be injected for RDMA");
    assertThat(webhook.mutate(Reviews.create(Kind.POD, pod("{}"))).patch()).isNull();
  }
}
