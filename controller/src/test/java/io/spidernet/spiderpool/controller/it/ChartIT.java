package io.spidernet.spiderpool.controller.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spidernet.spiderpool.testsupport.RepoDir;
import io.spidernet.spiderpool.testsupport.kube.ClusterTools;
import io.spidernet.spiderpool.testsupport.kube.KubeCluster;
import io.spidernet.spiderpool.testsupport.kube.LocalCluster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chart with real Helm: {@code helm lint --strict} against its values schema, and a matrix of
 * values (defaults, the seeds', dual stack with default pools, each TLS mode, the optional parts)
 * rendered by {@code helm template} and applied with {@code kubectl apply --dry-run=server
 * --warnings-as-errors} to the local API server, which validates every object as an install would;
 * what each renders is checked where a value changes it. Kinds the test cluster does not serve
 * (cert-manager's, Prometheus Operator's) are checked as rendered.
 */
@ExtendWith(KubeCluster.class)
class ChartIT {
  private static final Path CHART = RepoDir.resolve("charts/spiderpool");
  private static final List<String> NOT_SERVED = List.of("Certificate", "Issuer", "ServiceMonitor");

  @BeforeAll
  static void namespace(KubernetesClient client) {
    client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata().withName("spiderpool")
        .endMetadata().build()).serverSideApply();
  }

  record Values(String name, List<String> sets) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** A self-signed certificate and its key from openssl, as a user of {@code tls.method=provided} would bring. */
  static Path[] certificate() {
    try {
      Path dir = java.nio.file.Files.createTempDirectory("chart-tls");
      Path cert = dir.resolve("tls.crt");
      Path key = dir.resolve("tls.key");
      Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
          "-days", "1", "-subj", "/CN=spiderpool-controller.spiderpool.svc", "-keyout", key.toString(), "-out", cert.toString())
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IllegalStateException("openssl: " + out);
      }
      return new Path[] {cert, key};
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static Stream<Values> matrix() {
    Path[] tls = certificate();
    return Stream.of(
        new Values("defaults", List.of()),
        new Values("seed 000", List.of("multus.multusCNI.defaultCniCRName=macvlan-conf")),
        new Values("seed 004", List.of("feature.enableIPv4=true", "feature.enableIPv6=false")),
        new Values("dual stack with default pools", List.of("clusterDefaultPool.installIPv4IPPool=true",
            "clusterDefaultPool.ipv4Subnet=10.6.0.0/16", "clusterDefaultPool.ipv4IPRanges={10.6.0.10-10.6.0.200}",
            "clusterDefaultPool.installIPv6IPPool=true", "clusterDefaultPool.ipv6Subnet=fd00:10:6::/64",
            "clusterDefaultPool.ipv6IPRanges={fd00:10:6::10-fd00:10:6::200}")),
        new Values("tls provided", List.of("spiderpoolController.tls.method=provided",
            "file:spiderpoolController.tls.provided.tlsCert=" + tls[0], "file:spiderpoolController.tls.provided.tlsKey=" + tls[1],
            "file:spiderpoolController.tls.provided.tlsCa=" + tls[0])),
        new Values("tls certmanager", List.of("spiderpoolController.tls.method=certmanager")),
        new Values("everything optional", List.of("spiderpoolAgent.prometheus.enabled=true",
            "spiderpoolAgent.prometheus.serviceMonitor.install=true", "spiderpoolController.prometheus.enabled=true",
            "spiderpoolController.prometheus.serviceMonitor.install=true", "spiderpoolController.podDisruptionBudget.enabled=true",
            "spiderpoolController.replicas=2", "spiderpoolController.podResourceInject.enabled=true",
            "global.imageRegistryOverride=registry.local:5000", "spiderpoolAgent.privileged=true")));
  }

  private static ClusterTools.Result helm(LocalCluster cluster, String... args) {
    return ClusterTools.exec(cluster, "helm", null, args);
  }

  private static List<HasMetadata> render(LocalCluster cluster, KubernetesClient client, Values v) {
    List<String> args = new ArrayList<>(List.of("template", "spiderpool", CHART.toString(), "--namespace", "spiderpool",
        "--kube-version", "1.34.4"));
    for (String set : v.sets()) {
      args.add(set.startsWith("file:") ? "--set-file" : "--set");
      args.add(set.startsWith("file:") ? set.substring("file:".length()) : set);
    }
    ClusterTools.Result r = helm(cluster, args.toArray(String[]::new));
    assertThat(r.exit()).as(r.err()).isZero();
    return client.load(new ByteArrayInputStream(r.out().getBytes(StandardCharsets.UTF_8))).items();
  }

  /** What each template renders, by helm-unittest's suites in charts/spiderpool/tests. */
  @Test
  void templateUnitTestsPass(LocalCluster cluster) throws IOException, InterruptedException {
    Process build = new ProcessBuilder(cluster.root().resolve("scripts/build-tool.sh").toString(), "helm-unittest")
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String bin = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(build.waitFor()).as("scripts/build-tool.sh helm-unittest").isZero();
    Process run = new ProcessBuilder(bin, "--color=false", CHART.toString()).redirectErrorStream(true).start();
    String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(run.waitFor()).as(out).isZero();
    assertThat(out).as("every suite ran and passed: " + out).containsPattern("Test Suites:\\s+([1-9]\\d*) passed, \\1 total");
  }

  @Test
  void lintsStrictlyAgainstItsSchema(LocalCluster cluster) {
    ClusterTools.Result lint = helm(cluster, "lint", "--strict", CHART.toString());
    assertThat(lint.exit()).as(lint.out() + lint.err()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("matrix")
  void rendersWhatTheApiServerAccepts(Values v, LocalCluster cluster, KubernetesClient client) throws IOException {
    List<HasMetadata> objects = render(cluster, client, v);
    String served = objects.stream().filter(o -> !NOT_SERVED.contains(o.getKind()))
        .map(o -> client.getKubernetesSerialization().asYaml(o)).collect(Collectors.joining("\n---\n"));
    ClusterTools.Result apply = ClusterTools.exec(cluster, "kubectl", served, "apply", "--dry-run=server", "--warnings-as-errors", "-f", "-");
    assertThat(apply.exit()).as(v + ": " + apply.err()).isZero();
    // Both webhook configurations in every TLS mode (upstream's chart loses one in certmanager mode).
    assertThat(objects).filteredOn(o -> o.getKind().endsWith("WebhookConfiguration")).hasSize(2);
    ValidatingWebhookConfiguration validating = objects.stream().filter(ValidatingWebhookConfiguration.class::isInstance)
        .map(ValidatingWebhookConfiguration.class::cast).findFirst().orElseThrow();
    assertThat(validating.getWebhooks()).extracting(w -> w.getName()).contains("validate.spiderippool.spiderpool.spidernet.io",
        "validate.spidersubnet.spiderpool.spidernet.io", "validate.spidermultusconfig.spiderpool.spidernet.io");
    DaemonSet agent = objects.stream().filter(DaemonSet.class::isInstance).map(DaemonSet.class::cast).findFirst().orElseThrow();
    var main = agent.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(main.getVolumeMounts()).as("no host CNI directory in the main container")
        .noneMatch(m -> m.getName().equals("cni-bin"));
    assertThat(agent.getSpec().getTemplate().getSpec().getInitContainers().get(0).getArgs()).startsWith("install-plugins");
    // The controller accepts every setting the chart gives it (a dry run does not start it).
    io.fabric8.kubernetes.api.model.apps.Deployment deployment = objects.stream()
        .filter(io.fabric8.kubernetes.api.model.apps.Deployment.class::isInstance)
        .map(io.fabric8.kubernetes.api.model.apps.Deployment.class::cast).findFirst().orElseThrow();
    java.util.Map<String, String> env = new java.util.HashMap<>();
    // What the downward API fills in at run time stands in as a name.
    deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()
        .forEach(e -> env.put(e.getName(), e.getValue() != null ? e.getValue() : "from-the-downward-api"));
    io.spidernet.spiderpool.common.config.Settings.load(io.spidernet.spiderpool.controller.ControllerSettings.ALL, env);
    String conf = objects.stream().filter(ConfigMap.class::isInstance).map(ConfigMap.class::cast).findFirst().orElseThrow()
        .getData().get("conf.yml");
    switch (v.name()) {
      case "defaults" -> {
        assertThat(main.getSecurityContext().getPrivileged()).as("not privileged unless asked").isNull();
        assertThat(conf).contains("enableIPv4: true", "enableIPv6: true");
        assertThat(main.getImage()).isEqualTo("ghcr.io/spidernet-io/spiderpool/spiderpool-agent:1.2.1");
      }
      case "seed 000" -> assertThat(main.getEnv()).anyMatch(e -> e.getName().equals("MULTUS_CLUSTER_NETWORK")
          && e.getValue().equals("macvlan-conf"));
      case "seed 004" -> assertThat(conf).contains("enableIPv4: true", "enableIPv6: false");
      case "tls certmanager" -> {
        assertThat(objects).extracting(HasMetadata::getKind).contains("Certificate", "Issuer");
        assertThat(validating.getMetadata().getAnnotations()).containsEntry("cert-manager.io/inject-ca-from",
            "spiderpool/spiderpool-controller-server-certs");
      }
      case "tls provided" -> assertThat(validating.getWebhooks().get(0).getClientConfig().getCaBundle()).isNotEmpty();
      case "everything optional" -> {
        assertThat(main.getImage()).startsWith("registry.local:5000/spidernet-io/spiderpool/spiderpool-agent:");
        assertThat(main.getSecurityContext().getPrivileged()).isTrue();
        assertThat(objects).extracting(HasMetadata::getKind).contains("ServiceMonitor", "PodDisruptionBudget");
        assertThat(objects).filteredOn(GenericKubernetesResource.class::isInstance).isNotEmpty();
      }
      default -> { }
    }
  }

  @Test
  void refusesUnknownValuesAndSoftwareItDoesNotShipSayingWhy(LocalCluster cluster) {
    ClusterTools.Result typo = helm(cluster, "template", "spiderpool", CHART.toString(), "--kube-version", "1.34.4",
        "--set", "ipam.enableIPV6=false");
    assertThat(typo.exit()).isNotZero();
    assertThat(typo.err()).contains("at '/ipam': additional properties 'enableIPV6' not allowed");
    ClusterTools.Result multus = helm(cluster, "template", "spiderpool", CHART.toString(), "--kube-version", "1.34.4",
        "--set", "multus.multusCNI.install=true");
    assertThat(multus.exit()).isNotZero();
    assertThat(multus.err()).contains("'/multus/multusCNI/install'", "this chart does not ship Multus: install Multus yourself");
    ClusterTools.Result wrongType = helm(cluster, "template", "spiderpool", CHART.toString(), "--kube-version", "1.34.4",
        "--set", "spiderpoolController.tls.method=self-signed");
    assertThat(wrongType.exit()).isNotZero();
    assertThat(wrongType.err()).contains("/spiderpoolController/tls/method");
  }
}
