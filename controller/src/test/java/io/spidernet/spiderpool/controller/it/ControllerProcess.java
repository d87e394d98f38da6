package io.spidernet.spiderpool.controller.it;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.spidernet.spiderpool.testsupport.RepoDir;
import io.spidernet.spiderpool.testsupport.kube.LocalCluster;
import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The controller jar as its own process (JVM options of {@code controller/jvm-options}), serving the
 * webhooks of {@code scripts/lib/local-webhooks.yaml}: so a benchmark can tell its CPU from the
 * client's.
 */
public final class ControllerProcess implements AutoCloseable {
  private final Process process;
  private final KubernetesClient client;
  public final int webhookPort;
  public final Path log;

  private ControllerProcess(Process process, KubernetesClient client, int webhookPort, Path log) {
    this.process = process;
    this.client = client;
    this.webhookPort = webhookPort;
    this.log = log;
  }

  public static ControllerProcess start(LocalCluster cluster, KubernetesClient client, String namespace) throws Exception {
    return start(cluster, client, namespace, java.util.Map.of());
  }

  /** As above, with more environment (GC timings, metrics). */
  public static ControllerProcess start(LocalCluster cluster, KubernetesClient client, String namespace, java.util.Map<String, String> env)
      throws Exception {
    int port = freePort();
    int health = freePort();
    String yaml = Files.readString(RepoDir.resolve("scripts/lib/local-webhooks.yaml")).replace("WEBHOOK_PORT", String.valueOf(port));
    client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).forceConflicts().serverSideApply();
    List<String> command = new ArrayList<>(List.of("java"));
    for (String line : Files.readAllLines(RepoDir.resolve("controller/jvm-options"))) {
      if (!line.isBlank() && !line.strip().startsWith("#")) {
        command.add(line.strip());
      }
    }
    command.addAll(List.of("-jar", RepoDir.resolve("controller/target/spiderpool-controller.jar").toString(),
        "--config-path", "/nonexistent/conf.yml"));
    Path log = Files.createTempFile("controller", ".log");
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(java.util.Map.of("KUBECONFIG", cluster.kubeconfig().toString(),
        "SPIDERPOOL_POD_NAMESPACE", namespace, "SPIDERPOOL_POD_NAME", "spiderpool-controller-0",
        "SPIDERPOOL_WEBHOOK_HOST", "127.0.0.1", "SPIDERPOOL_WEBHOOK_PORT", String.valueOf(port),
        "SPIDERPOOL_WEBHOOK_EXTRA_HOSTS", "127.0.0.1", "SPIDERPOOL_HEALTH_PORT", String.valueOf(health),
        "SPIDERPOOL_LOG_LEVEL", "info", "MALLOC_ARENA_MAX", "2")); // as deployed, see controller/jvm-options
    pb.environment().putAll(env);
    Process process = pb.start();
    HttpClient http = HttpClient.newHttpClient();
    for (int i = 0; ; i++) {
      try {
        if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + health + "/v1/runtime/readiness")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200 && caBundlePublished(client)) {
          break;
        }
      } catch (java.io.IOException notYet) {
        // starting
      }
      if (i > 1200 || !process.isAlive()) {
        process.destroyForcibly();
        throw new IllegalStateException("the controller did not become ready");
      }
      Thread.sleep(100);
    }
    return new ControllerProcess(process, client, port, log);
  }

  public long pid() {
    return process.pid();
  }

  /** Peak resident memory (VmHWM) in MiB. */
  public double peakRssMiB() throws java.io.IOException {
    for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
      }
    }
    return Double.NaN;
  }

  private static boolean caBundlePublished(KubernetesClient client) {
    var v = client.admissionRegistration().v1().validatingWebhookConfigurations().withName("spiderpool-controller").get();
    return v != null && v.getWebhooks().get(0).getClientConfig().getCaBundle() != null;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL: no shutdown hook, the lease is not released. */
  public void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  @Override
  public void close() throws Exception {
    client.admissionRegistration().v1().mutatingWebhookConfigurations().withName("spiderpool-controller").delete();
    client.admissionRegistration().v1().validatingWebhookConfigurations().withName("spiderpool-controller").delete();
    process.destroy();
    process.waitFor();
  }

  private static int freePort() throws java.io.IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
