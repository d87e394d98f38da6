package io.spidernet.spiderpool.agent.it.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spidernet.spiderpool.agent.cni.CniCall;
import io.spidernet.spiderpool.agent.it.Agents;
import io.spidernet.spiderpool.agent.it.Pools;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.it.Fixtures;
import io.spidernet.spiderpool.testsupport.kube.KubeCluster;
import io.spidernet.spiderpool.testsupport.kube.LocalCluster;
import io.spidernet.spiderpool.testsupport.kube.TestNamespace;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The native plugin executed as kubelet and Multus do (CNI_* environment, configuration on stdin)
 * against a real agent: every supported version and command, and every error code.
 */
@ExtendWith(KubeCluster.class)
class PluginConformanceIT {
  static final String NODE = "plugin-node";
  static Agents agents;
  static String pool;
  static Path socket;

  @BeforeAll
  static void start(KubernetesClient client, LocalCluster cluster, TestNamespace ns) throws Exception {
    pool = ns.unique("plugin");
    SpiderIPPool p = Fixtures.poolWithGateway(pool, "10.80.0.0/24", "10.80.0.1", "10.80.0.10-10.80.0.40");
    agents = Agents.start(cluster, Map.of(), NODE).withPools(client, p);
    socket = agents.socket(NODE);
  }

  @AfterAll
  static void stop() throws Exception {
    Agents.closeQuietly(agents);
  }

  record Run(int exit, String stdout) {
    JsonObject json() {
      return new JsonObject(stdout);
    }
  }

  static Path plugin() {
    Path bin = Path.of(System.getProperty("spiderpool.root.dir", "..")).resolve("cni/bin/spiderpool");
    assertThat(bin).as("the plugin binary; scripts/build-cni.sh builds it").isExecutable();
    return bin;
  }

  static Run exec(Map<String, String> env, String stdin) throws Exception {
    return exec(List.of(), env, stdin);
  }

  /** Runs the plugin behind {@code prefix} (a command that runs it as another user). */
  static Run exec(List<String> prefix, Map<String, String> env, String stdin) throws Exception {
    List<String> command = new java.util.ArrayList<>(prefix);
    command.add(plugin().toString());
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().clear();
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(110, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out);
  }

  static Map<String, String> env(String command, Pod pod, String ifName) {
    Map<String, String> env = new HashMap<>();
    env.put("CNI_COMMAND", command);
    env.put("CNI_CONTAINERID", "ctr-" + (pod == null ? "x" : pod.getMetadata().getUid()));
    env.put("CNI_NETNS", "/var/run/netns/test");
    env.put("CNI_IFNAME", ifName);
    env.put("CNI_PATH", "/opt/cni/bin");
    if (pod != null) {
      env.put("CNI_ARGS", "IgnoreUnknown=1;K8S_POD_NAMESPACE=" + pod.getMetadata().getNamespace() + ";K8S_POD_NAME="
          + pod.getMetadata().getName() + ";K8S_POD_UID=" + pod.getMetadata().getUid());
    }
    return env;
  }

  static String conf(String version, Path sock) {
    return "{\"cniVersion\":\"" + version + "\",\"name\":\"macvlan-conf\",\"type\":\"macvlan\",\"master\":\"eth0\","
        + "\"ipam\":{\"type\":\"spiderpool\",\"default_ipv4_ippool\":[\"" + pool + "\"],\"ipam_unix_socket_path\":\"" + sock + "\"}}";
  }

  @Test
  void thePluginsVersionsAreTheAgents() throws Exception {
    Run version = exec(Map.of("CNI_COMMAND", "VERSION"), "{\"cniVersion\":\"0.4.0\"}");
    assertThat(version.exit()).isZero();
    assertThat(version.json().getString("cniVersion")).isEqualTo("0.4.0");
    assertThat(version.json().getJsonArray("supportedVersions").getList()).isEqualTo(CniCall.SUPPORTED_VERSIONS);
  }

  @ParameterizedTest(name = "CNI {0}")
  @ValueSource(strings = {"0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"})
  void everyCommandOfEveryVersion(String version, KubernetesClient client, TestNamespace ns) throws Exception {
    Pod pod = client.resource(new PodBuilder().withNewMetadata().withName("v" + version.replace(".", ""))
        .withNamespace(ns.name()).endMetadata().withNewSpec().withNodeName(NODE)
        .addNewContainer().withName("c").withImage("nginx").endContainer().endSpec().build()).create();

    Run add = exec(env("ADD", pod, "eth0"), conf(version, socket));
    assertThat(add.exit()).as(add.stdout()).isZero();
    JsonObject ip = add.json().getJsonArray("ips").getJsonObject(0);
    assertThat(add.json().getString("cniVersion")).isEqualTo(version);
    assertThat(add.json().containsKey("interfaces")).isFalse();
    assertThat(ip.getString("address")).startsWith("10.80.0.").endsWith("/24");
    assertThat(ip.getString("gateway")).isEqualTo("10.80.0.1");
    assertThat(ip.containsKey("version")).isEqualTo(version.startsWith("0."));

    Run check = exec(env("CHECK", pod, "eth0"), conf(version, socket));
    assertThat(check.exit()).as(check.stdout()).isEqualTo(version.startsWith("0.3") ? 1 : 0);
    if (version.equals("1.1.0")) {
      Run status = exec(env("STATUS", null, "eth0"), conf(version, socket));
      assertThat(status.exit()).as(status.stdout()).isZero();
    }

    client.resource(pod).withGracePeriod(0).delete();
    client.resource(pod).waitUntilCondition(p -> p == null, 30, TimeUnit.SECONDS);
    assertThat(exec(env("DEL", pod, "eth0"), conf(version, socket)).exit()).isZero();
    assertThat(exec(env("DEL", pod, "eth0"), conf(version, socket)).exit()).as("DEL again").isZero();
  }

  @Test
  void errorsCarryTheirCodesAndSayWhy() throws Exception {
    Map<String, String> noIf = env("ADD", null, "eth0");
    noIf.remove("CNI_IFNAME");
    Run missing = exec(noIf, conf("1.0.0", socket));
    assertThat(missing.exit()).isEqualTo(4);
    assertThat(missing.json().getString("msg")).isEqualTo("required env variables [CNI_IFNAME] missing");

    assertThat(exec(env("ADD", null, "eth0"), "{not json").exit()).isEqualTo(6);
    Run old = exec(env("ADD", null, "eth0"), conf("0.2.0", socket));
    assertThat(old.exit()).isEqualTo(1);
    assertThat(old.json().getString("msg")).contains("0.3.0", "1.1.0");
    Run badIpam = exec(env("ADD", null, "eth0"),
        "{\"cniVersion\":\"1.0.0\",\"ipam\":{\"type\":\"spiderpool\",\"clean_gateway\":\"yes\",\"ipam_unix_socket_path\":\"" + socket + "\"}}");
    assertThat(badIpam.exit()).isEqualTo(7);

    Path gone = Files.createTempDirectory("no-agent").resolve("spiderpool.sock");
    Run unreachable = exec(env("ADD", null, "eth0"), conf("1.0.0", gone));
    assertThat(unreachable.exit()).isEqualTo(11);
    assertThat(unreachable.json().getString("msg")).contains("unreachable on unix:" + gone);

    // Permanent failures are not "try again later": a retry cannot change them.
    String huge = conf("1.0.0", socket).replace("\"master\"", "\"padding\":\"" + "x".repeat(1024 * 1024) + "\",\"master\"");
    Run tooLarge = exec(env("ADD", null, "eth0"), huge);
    assertThat(tooLarge.exit()).as(tooLarge.stdout()).isEqualTo(7);
    assertThat(tooLarge.json().getString("msg")).contains("over the limit");
    Run denied = exec(List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"), env("ADD", null, "eth0"),
        conf("1.0.0", socket));
    assertThat(denied.exit()).as(denied.stdout()).isEqualTo(5);
    assertThat(denied.json().getString("msg")).contains("permission denied on unix:" + socket);
  }
}
