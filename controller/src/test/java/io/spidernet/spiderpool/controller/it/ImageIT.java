package io.spidernet.spiderpool.controller.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spidernet.spiderpool.api.v2beta1.SpiderCoordinator;
import io.spidernet.spiderpool.testsupport.Eventually;
import io.spidernet.spiderpool.testsupport.RepoDir;
import io.spidernet.spiderpool.testsupport.kube.KubeCluster;
import io.spidernet.spiderpool.testsupport.kube.LocalCluster;
import io.spidernet.spiderpool.testsupport.kube.TestNamespace;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The images as a runtime would run them, with no container runtime here: each image's layers
 * unpacked into a root filesystem, its entrypoint run chrooted into it (with /proc, in a private
 * mount namespace) against the test cluster. Proves the image is whole (its own Java runtime and
 * libraries, no host path), named as the chart expects, and that the agent image installs its plugin
 * and serves, the controller image's init creates the defaults. Needs root (chroot, unshare).
 */
@ExtendWith(KubeCluster.class)
class ImageIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** An image's tag, entrypoint and root filesystem. */
  record Image(String tag, List<String> entrypoint, Path root) {}

  static Image unpack(String module, String name) throws IOException, InterruptedException {
    Path tar = RepoDir.resolve(module + "/target/images/" + name + ".tar");
    assertThat(tar).as("built by mvn -Pimages (scripts/test.sh, scripts/images.sh)").exists();
    Path dir = Files.createTempDirectory("image-" + name);
    Path x = Files.createDirectories(dir.resolve("x"));
    Path root = Files.createDirectories(dir.resolve("root"));
    run(List.of("tar", "-xf", tar.toString(), "-C", x.toString()));
    JsonNode manifest = JSON.readTree(x.resolve("manifest.json").toFile()).get(0);
    for (JsonNode layer : manifest.get("Layers")) {
      run(List.of("tar", "--warning=no-unknown-keyword", "-xzf", x.resolve(layer.asString()).toString(), "-C", root.toString()));
    }
    JsonNode config = JSON.readTree(x.resolve(manifest.get("Config").asString()).toFile());
    List<String> entrypoint = new ArrayList<>();
    config.get("config").get("Entrypoint").forEach(a -> entrypoint.add(a.asString()));
    Files.createDirectories(root.resolve("proc"));
    return new Image(manifest.get("RepoTags").get(0).asString(), entrypoint, root);
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(String.join(" ", command) + ": " + out).isZero();
    return out;
  }

  /** The image's entrypoint plus {@code args}, chrooted, with /proc, in a private mount namespace. */
  static ProcessBuilder inImage(Image image, Map<String, String> env, String... args) {
    String command = "mount -t proc proc '" + image.root().resolve("proc") + "' && exec chroot '" + image.root() + "' "
        + String.join(" ", image.entrypoint()) + " " + String.join(" ", args);
    ProcessBuilder pb = new ProcessBuilder("unshare", "-m", "sh", "-c", command);
    pb.environment().clear();
    pb.environment().putAll(env);
    return pb;
  }

  @Test
  void theAgentImageInstallsItsPluginAndServesFromItsOwnRuntime(LocalCluster cluster, KubernetesClient client, TestNamespace ns)
      throws Exception {
    Image agent = unpack("agent", "spiderpool-agent");
    assertThat(agent.tag()).isEqualTo("ghcr.io/spidernet-io/spiderpool/spiderpool-agent:1.2.1");
    assertThat(agent.entrypoint()).startsWith("/opt/java/bin/java", "@/app/jvm-options");

    Files.createDirectories(agent.root().resolve("host/cni-bin"));
    Process install = inImage(agent, Map.of(), "install-plugins", "/host/cni-bin").redirectErrorStream(true).start();
    String installed = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(install.waitFor()).as(installed).isZero();
    Path plugin = agent.root().resolve("host/cni-bin/spiderpool");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(plugin))).isEqualTo("rwxr-xr-x");
    assertThat(Files.size(plugin)).isPositive();

    String node = ns.unique("image-node");
    client.resource(new NodeBuilder().withNewMetadata().withName(node).endMetadata().build()).create();
    Files.copy(cluster.kubeconfig(), agent.root().resolve("kubeconfig"));
    Files.createDirectories(agent.root().resolve("etc/spiderpool"));
    Files.writeString(agent.root().resolve("etc/spiderpool/conf.yml"), "ipamUnixSocketPath: /run/spidernet/spiderpool.sock\n");
    int health = 17710;
    Process serving = inImage(agent, Map.of("KUBECONFIG", "/kubeconfig", "SPIDERPOOL_NODE_NAME", node,
        "SPIDERPOOL_POD_NAMESPACE", ns.name(), "SPIDERPOOL_POD_NAME", "agent-from-image", "SPIDERPOOL_HEALTH_PORT",
        String.valueOf(health), "MALLOC_ARENA_MAX", "2"), "--config-path", "/etc/spiderpool/conf.yml")
        .redirectErrorStream(true).redirectOutput(agent.root().resolve("agent.log").toFile()).start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      Eventually.until("the agent from the image is ready", Duration.ofSeconds(60), () -> {
        try {
          return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + health + "/v1/runtime/readiness")).build(),
              HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notYet) {
          return false;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      });
      assertThat(agent.root().resolve("run/spidernet/spiderpool.sock")).exists();
      // Netty's native libraries, unpacked at start, find every library they link against in the image.
      String log = Files.readString(agent.root().resolve("agent.log"));
      assertThat(log).as(log).doesNotContain("epoll native transport unavailable").doesNotContain("BoringSSL (netty-tcnative) is unavailable");
    } finally {
      serving.destroy();
      serving.waitFor(10, TimeUnit.SECONDS);
      client.nodes().withName(node).delete();
    }
  }

  @Test
  void theControllerImageRunsTheInitJobsCommand(LocalCluster cluster, KubernetesClient client, TestNamespace ns) throws Exception {
    Image controller = unpack("controller", "spiderpool-controller");
    assertThat(controller.tag()).isEqualTo("ghcr.io/spidernet-io/spiderpool/spiderpool-controller:1.2.1");
    Files.copy(cluster.kubeconfig(), controller.root().resolve("kubeconfig"));
    Files.createDirectories(controller.root().resolve("tmp/init"));
    String coordinator = ns.unique("from-image");
    Process init = inImage(controller, Map.of("KUBECONFIG", "/kubeconfig", "SPIDERPOOL_NAMESPACE", ns.name(),
        "SPIDERPOOL_INIT_DEFAULT_COORDINATOR_NAME", coordinator, "SPIDERPOOL_INIT_DEFAULT_COORDINATOR_POD_CIDR_TYPE", "none",
        "SPIDERPOOL_INIT_READINESS_FILE", "/tmp/init/ready", "SPIDERPOOL_INIT_ENABLE_MULTUS_CONFIG", "false"), "init")
        .redirectErrorStream(true).start();
    String out = new String(init.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      assertThat(init.waitFor()).as(out).isZero();
      assertThat(client.resources(SpiderCoordinator.class).withName(coordinator).get()).as(out).isNotNull();
      assertThat(controller.root().resolve("tmp/init/ready")).exists();
    } finally {
      client.resources(SpiderCoordinator.class).withName(coordinator).edit(c -> {
        c.getMetadata().setFinalizers(List.of());
        return c;
      });
      client.resources(SpiderCoordinator.class).withName(coordinator).delete();
    }
  }
}
