package io.spidernet.spiderpool.controller.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.spidernet.spiderpool.api.Constants;
import io.spidernet.spiderpool.api.codec.PoolIPAllocation;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.testsupport.Eventually;
import io.spidernet.spiderpool.testsupport.SeedDocument;
import io.spidernet.spiderpool.testsupport.SeedDocuments;
import io.spidernet.spiderpool.testsupport.kube.KubeCluster;
import io.spidernet.spiderpool.testsupport.kube.Kubectl;
import io.spidernet.spiderpool.testsupport.kube.LocalCluster;
import io.spidernet.spiderpool.testsupport.kube.TestNamespace;
import io.spidernet.spiderpool.webhook.rules.WebhookConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The real API server calls our webhooks: seed YAML applied with kubectl is defaulted as Spiderpool
 * defaults it, invalid objects are refused with the field and the value, two overlapping pools sent
 * at once are never both admitted, an IP in use cannot be removed, and a deleted pool lingers until
 * its last IP is released.
 */
@ExtendWith(KubeCluster.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdmissionIT {
  private static final String MISINDENTED = "004_25d80e998559e397.txt";
  private static final String GATEWAY_OUTSIDE = "003_3f16589b5d0c42de.txt";
  private Controllers controllers;

  @BeforeAll
  void start(LocalCluster cluster, KubernetesClient client, TestNamespace ns) throws Exception {
    controllers = Controllers.start(cluster, client, ns.name(), Map.of("SPIDERPOOL_GC_IP_ENABLED", "false"), WebhookConfig.defaults());
  }

  @AfterAll
  void stop() throws Exception {
    controllers.close();
  }

  private static String pool(String name, String spec) {
    return "apiVersion: spiderpool.spidernet.io/v2beta1\nkind: SpiderIPPool\nmetadata:\n  name: " + name + "\nspec:\n"
        + spec.indent(2);
  }

  private static String apply(Kubectl kubectl, String yaml) throws Exception {
    Path file = Files.createTempFile("admission", ".yaml");
    Files.writeString(file, yaml);
    try {
      return kubectl.run("apply", "-f", file.toString());
    } finally {
      Files.delete(file);
    }
  }

  @Test
  void everySeedObjectIsAdmittedAndDefaultedAsSpiderpoolDoes(KubernetesClient client, Kubectl kubectl) throws Exception {
    List<SeedDocument> ours = SeedDocuments.all().stream()
        .filter(d -> d.apiVersion().startsWith("spiderpool.spidernet.io/"))
        .filter(d -> !(d.seed().equals(MISINDENTED) && d.kind().equals("SpiderSubnet")))
        .toList();
    assertThat(ours).isNotEmpty();
    for (SeedDocument doc : ours) {
      boolean refusedUpstreamToo = doc.seed().equals(GATEWAY_OUTSIDE) && doc.kind().equals("SpiderIPPool");
      if (refusedUpstreamToo) {
        // The document's gateway 172.110.0.1 lies outside its pool's 172.110.1.0/24; Spiderpool refuses it the same way.
        assertThatThrownBy(() -> apply(kubectl, doc.yaml())).hasMessageContaining("SpiderIPPool \"" + doc.name() + "\" is invalid: "
            + "spec.gateway: Invalid value: \"" + doc.tree().path("spec").path("gateway").asString() + "\": not pertains to the "
            + "'spec.subnet' " + doc.tree().path("spec").path("subnet").asString() + " of IPPool");
        continue;
      }
      apply(kubectl, doc.yaml());
      try {
        if (doc.kind().equals("SpiderIPPool")) {
          String listing = kubectl.run("get", "spiderippool", doc.name());
          assertThat(listing.lines().skip(1).findFirst().orElseThrow()).as(doc.where() + " VERSION column")
              .matches(doc.name() + "\\s+4\\s+" + doc.tree().path("spec").path("subnet").asString().replace(".", "\\.") + ".*");
          SpiderIPPool stored = client.resources(SpiderIPPool.class).withName(doc.name()).get();
          assertThat(stored.getMetadata().getLabels()).containsKey(Constants.LABEL_IPPOOL_CIDR);
          assertThat(stored.getMetadata().getFinalizers()).contains(Constants.FINALIZER);
        }
        if (doc.kind().equals("SpiderMultusConfig")) {
          String coordinatorMode = kubectl.run("get", "spidermultusconfig", "-n", doc.tree().path("metadata").path("namespace")
              .asString(), doc.name(), "-o", "jsonpath={.spec.coordinator.mode}");
          assertThat(coordinatorMode).isEqualTo("auto");
        }
      } finally {
        kubectl.run("delete", doc.kind().toLowerCase(), doc.name(), "--wait=true", "--timeout=30s",
            "-n", doc.tree().path("metadata").path("namespace").asString("default"));
      }
    }
  }

  @Test
  void invalidPoolsAreRefusedNamingFieldAndValue(Kubectl kubectl) {
    assertThatThrownBy(() -> apply(kubectl, pool("unformatted", "subnet: 10.60.0.1/24")))
        .hasMessageContaining("spec.subnet: Invalid value: \"10.60.0.1/24\": unformatted subnet 10.60.0.1/24, please change it "
            + "to 10.60.0.0/24");
    assertThatThrownBy(() -> apply(kubectl, pool("outside", "subnet: 10.60.0.0/24\nips: [10.61.0.1]")))
        .hasMessageContaining("spec.ips[0]: Invalid value: \"10.61.0.1\": not pertains to the 'spec.subnet' 10.60.0.0/24");
    assertThatThrownBy(() -> apply(kubectl, pool("gw", "subnet: 10.60.0.0/24\nips: [10.60.0.1-10.60.0.9]\ngateway: 10.60.0.1")))
        .hasMessageContaining("spec.ips[0]: Invalid value: \"10.60.0.1-10.60.0.9\": conflicts with 'spec.gateway' 10.60.0.1");
  }

  @Test
  void twoOverlappingPoolsSentAtOnceAreNeverBothAdmitted(KubernetesClient client) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 10; round++) {
        String a = "race-a-" + round;
        String b = "race-b-" + round;
        String net = "10.70." + round + ".";
        List<Callable<Boolean>> creates = List.of(
            () -> created(client, a, "subnet: " + net + "0/24\nips: [" + net + "1-" + net + "20]"),
            () -> created(client, b, "subnet: " + net + "0/24\nips: [" + net + "10-" + net + "30]"));
        List<Boolean> outcomes = new ArrayList<>();
        for (Future<Boolean> f : threads.invokeAll(creates)) {
          outcomes.add(f.get());
        }
        assertThat(outcomes).as("round " + round).containsExactlyInAnyOrder(true, false);
        client.resources(SpiderIPPool.class).withName(a).delete();
        client.resources(SpiderIPPool.class).withName(b).delete();
      }
    } finally {
      threads.shutdownNow();
    }
  }

  private static boolean created(KubernetesClient client, String name, String spec) {
    try {
      client.resource(client.getKubernetesSerialization().unmarshal(pool(name, spec), SpiderIPPool.class)).create();
      return true;
    } catch (KubernetesClientException e) {
      assertThat(e.getMessage()).contains("overlap with IPPool");
      return false;
    }
  }

  @Test
  void anIPInUseCannotBeRemovedAndADeletedPoolWaitsForItsLastIP(KubernetesClient client, Kubectl kubectl) throws Exception {
    apply(kubectl, pool("in-use", "subnet: 10.80.0.0/24\nips: [10.80.0.10-10.80.0.19]"));
    PoolRecords.write(client, "in-use", Map.of("10.80.0.11", PoolIPAllocation.of("shop", "web-0", "u-1")));
    assertThatThrownBy(() -> apply(kubectl, pool("in-use", "subnet: 10.80.0.0/24\nips: [10.80.0.12-10.80.0.19]")))
        .hasMessageContaining("spec.ips: Forbidden: remove an IP address 10.80.0.11 that is being used by Pod shop/web-0");
    apply(kubectl, pool("in-use", "subnet: 10.80.0.0/24\nips: [10.80.0.10-10.80.0.29]"));

    kubectl.run("delete", "spiderippool", "in-use", "--wait=false");
    Thread.sleep(1000);
    SpiderIPPool deleting = client.resources(SpiderIPPool.class).withName("in-use").get();
    assertThat(deleting).as("kept by its finalizer while 10.80.0.11 is recorded").isNotNull();
    assertThat(deleting.getMetadata().getDeletionTimestamp()).isNotNull();
    PoolRecords.write(client, "in-use", Map.of());
    Eventually.until("the released pool is gone", Duration.ofSeconds(20),
        () -> client.resources(SpiderIPPool.class).withName("in-use").get() == null);
  }

  @Test
  void aRestartedControllerKeepsItsCa(KubernetesClient client, TestNamespace ns, Kubectl kubectl) throws Exception {
    Secret before = client.secrets().inNamespace(ns.name()).withName("spiderpool-controller-server-certs").get();
    String bundle = caBundle(client);
    controllers.restart();
    Secret after = client.secrets().inNamespace(ns.name()).withName("spiderpool-controller-server-certs").get();
    assertThat(after.getData().get("ca.crt")).isEqualTo(before.getData().get("ca.crt"));
    assertThat(after.getData().get("tls.crt")).as("a valid serving certificate is reused").isEqualTo(before.getData().get("tls.crt"));
    assertThat(caBundle(client)).isEqualTo(bundle);
    apply(kubectl, pool("after-restart", "subnet: 10.90.0.0/24"));
    kubectl.run("delete", "spiderippool", "after-restart");
  }

  static String caBundle(KubernetesClient client) {
    return client.admissionRegistration().v1().validatingWebhookConfigurations().withName(Controllers.CONFIGURATION).get()
        .getWebhooks().get(0).getClientConfig().getCaBundle();
  }
}
