package io.spidernet.spiderpool.controller.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spidernet.spiderpool.api.Constants;
import io.spidernet.spiderpool.api.codec.PoolIPAllocation;
import io.spidernet.spiderpool.api.v2beta1.SpiderMultusConfig;
import io.spidernet.spiderpool.testsupport.Eventually;
import io.spidernet.spiderpool.testsupport.RepoDir;
import io.spidernet.spiderpool.testsupport.kube.ClusterTools;
import io.spidernet.spiderpool.testsupport.kube.KubeCluster;
import io.spidernet.spiderpool.testsupport.kube.LocalCluster;
import io.spidernet.spiderpool.testsupport.kube.Manifests;
import io.spidernet.spiderpool.testsupport.kube.NodeAgents;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The path a user takes, on two real kubelet nodes ({@code scripts/node.sh}: containerd, runc, a
 * network namespace each, macvlan on the node's eth0 chained with our IPAM): the images imported,
 * {@code helm install} with seed 000's values, seed 000's SpiderMultusConfig, pools and DaemonSet
 * applied unchanged with kubectl, the kubelet's CNI ADD and DEL through the chart-installed plugin
 * and agents, a rendered NetworkAttachmentDefinition run by libcni as Multus would, {@code helm
 * upgrade} rolling the agents under running pods, the agent killed while pods
 * are created, and {@code helm uninstall}. The steps build on each other, in order. Needs root.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeE2EIT {
  private static final String NS = "kube-system";
  private static final Path SEED = RepoDir.resolve("examples/seeds/000_8599cf56c060164d.yaml");
  private static final Map<String, String> POOL_OF_NODE = Map.of("controller-node-1", "test-ippool-6", "worker-node-1",
      "test-ippool-7");
  private static final Pattern INET = Pattern.compile("inet (\\d+\\.\\d+\\.\\d+\\.\\d+)/");

  private static LocalCluster cluster;
  private static KubernetesClient client;

  @BeforeAll
  static void nodes() throws IOException {
    assertThat(System.getProperty("user.name")).as("real nodes need root (mount and network namespaces)").isEqualTo("root");
    cluster = LocalCluster.withNodes(2);
    client = KubeCluster.client(cluster);
    assertThat(cluster.nodes("import", RepoDir.resolve("agent/target/images/spiderpool-agent.tar").toString(),
        RepoDir.resolve("controller/target/images/spiderpool-controller.tar").toString()))
        .as("the images (mvn -Pimages) imported into the nodes").isTrue();
  }

  @AfterAll
  static void close() {
    if (client != null) {
      client.close();
    }
  }

  @Test
  @Order(0)
  void helmInstallWithTheSeedsValuesBringsUpAgentsAndController() throws Exception {
    URI api = cluster.apiServer();
    ok(helm("install", "spiderpool", RepoDir.resolve("charts/spiderpool").toString(), "-n", NS,
        "--set", "multus.multusCNI.defaultCniCRName=macvlan-conf",
        "--set", "global.kubernetesServiceHost=" + api.getHost(), "--set", "global.kubernetesServicePort=" + api.getPort(),
        "--set", "spiderpoolAgent.prometheus.enabled=true", "--wait", "--timeout", "4m"));

    List<Pod> agents = client.pods().inNamespace(NS).withLabel("app.kubernetes.io/component", "spiderpool-agent").list().getItems();
    assertThat(agents).extracting(p -> p.getSpec().getNodeName()).containsExactlyInAnyOrder("controller-node-1", "worker-node-1");
    assertThat(agents).allMatch(NodeE2EIT::ready, "every agent Ready through its readiness probe");
    assertThat(client.pods().inNamespace(NS).withLabel("app.kubernetes.io/component", "spiderpool-controller").list().getItems())
        .hasSize(1).allMatch(NodeE2EIT::ready, "the controller Ready");
    for (String node : POOL_OF_NODE.keySet()) {
      Path plugin = cluster.dir().resolve("nodes/" + node + "/host/opt-cni-bin/spiderpool");
      assertThat(Files.isExecutable(plugin)).as("the agent's init container installed " + plugin).isTrue();
    }
    assertThat(client.resources(SpiderMultusConfig.class).inNamespace(NS)
        .withName("macvlan-conf").get()).as("init made the default SpiderMultusConfig defaultCniCRName names").isNotNull();
  }

  @Test
  @Order(1)
  void theSeedsDaemonSetGetsEachNodeItsZonesIp() throws Exception {
    ok(kubectl(null, "apply", "-f", SEED.toString()));
    Map<String, String> ips = seedPodIps();
    for (Pod pod : seedPods()) {
      String pool = POOL_OF_NODE.get(pod.getSpec().getNodeName());
      Map<String, PoolIPAllocation> records = PoolRecords.read(client, pool);
      String ip = ips.get(pod.getMetadata().getName());
      assertThat(records).as(pool + " (" + pod.getSpec().getNodeName() + "'s zone) holds one IP, " + ip).hasSize(1)
          .containsKey(ip);
      assertThat(records.get(ip).podUid()).as("recorded for this pod").isEqualTo(pod.getMetadata().getUid());
    }
    PoolInvariants.assertHold(client, Set.copyOf(POOL_OF_NODE.values()));
  }

  @Test
  @Order(2)
  void deletingAPodReleasesItsIpThroughTheKubeletsCniDel() throws Exception {
    Pod victim = seedPods().stream().filter(p -> p.getSpec().getNodeName().equals("worker-node-1")).findFirst().orElseThrow();
    String node = victim.getSpec().getNodeName();
    double releasesBefore = agentMetric(node, "spiderpool_ipam_release_counts_total");
    ok(kubectl(null, "delete", "pod", "-n", "default", victim.getMetadata().getName(), "--wait=true"));
    assertThat(agentMetric(node, "spiderpool_ipam_release_counts_total")).as("the agent on " + node + " served the DEL")
        .isEqualTo(releasesBefore + 1);
    Map<String, String> ips = seedPodIps();
    assertThat(ips).doesNotContainKey(victim.getMetadata().getName());
    Map<String, PoolIPAllocation> records = PoolRecords.read(client, POOL_OF_NODE.get(node));
    assertThat(records).as("the deleted pod's IP released, its successor's recorded").hasSize(1)
        .allSatisfy((ip, r) -> assertThat(r.pod()).isNotEqualTo("default/" + victim.getMetadata().getName()));
    PoolInvariants.assertHold(client, Set.copyOf(POOL_OF_NODE.values()));
  }

  /**
   * A NetworkAttachmentDefinition the controller rendered, executed as Multus executes it for a
   * pod's second NIC: its spec.config handed to the reference CNI library (cnitool) on the node,
   * with the pod's K8S_POD_* arguments, into a network namespace made there. A DEL while the pod
   * lives keeps the IP (Spiderpool's rule: the kubelet also sends DEL for a sandbox it replaces);
   * the pod's deletion gives it back.
   */
  @Test
  @Order(3)
  void aRenderedNadRunsThroughLibcniOnTheNode() throws Exception {
    ok(kubectl("""
        apiVersion: spiderpool.spidernet.io/v2beta1
        kind: SpiderMultusConfig
        metadata: {name: macvlan-net1, namespace: kube-system}
        spec:
          cniType: macvlan
          enableCoordinator: false
          macvlan: {master: [eth0], ippools: {ipv4: [test-ippool-6]}}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: second-nic, namespace: default}
        spec:
          nodeName: controller-node-1
          hostNetwork: true
          terminationGracePeriodSeconds: 1
          containers: [{name: app, image: nginx, imagePullPolicy: IfNotPresent, command: [sleep, "3600"]}]
        """, "apply", "-f", "-"));
    Eventually.until("the NetworkAttachmentDefinition rendered", Duration.ofSeconds(30), () -> client.genericKubernetesResources(
        "k8s.cni.cncf.io/v1", "NetworkAttachmentDefinition").inNamespace(NS).withName("macvlan-net1").get() != null);
    String config = (String) ((Map<?, ?>) client.genericKubernetesResources("k8s.cni.cncf.io/v1", "NetworkAttachmentDefinition")
        .inNamespace(NS).withName("macvlan-net1").get().getAdditionalProperties().get("spec")).get("config");
    Eventually.until("the pod running", Duration.ofMinutes(1),
        () -> ready(client.pods().inNamespace("default").withName("second-nic").get()));
    String uid = client.pods().inNamespace("default").withName("second-nic").get().getMetadata().getUid();
    Path confDir = Files.createTempDirectory("nad");
    Files.writeString(confDir.resolve("10-macvlan-net1.conflist"), config);
    String cnitool = buildTool("cnitool");
    String nodePid = Files.readString(cluster.dir().resolve("nodes/controller-node-1/node.pid")).strip();
    String env = "CNI_PATH=/opt/cni/bin NETCONFPATH=" + confDir + " CNI_IFNAME=net1 "
        + "CNI_ARGS='IgnoreUnknown=true;K8S_POD_NAMESPACE=default;K8S_POD_NAME=second-nic;K8S_POD_UID=" + uid + "' ";

    String added = onNode(nodePid, "ip netns add second-nic && " + env + cnitool + " add macvlan-net1 /var/run/netns/second-nic"
        + " && ip netns exec second-nic ip -4 addr show net1");
    Matcher inet = INET.matcher(added);
    assertThat(inet.find()).as("net1 has an IPv4 address: " + added).isTrue();
    assertThat(PoolRecords.read(client, "test-ippool-6").get(inet.group(1))).as("test-ippool-6 records " + inet.group(1))
        .satisfies(r -> assertThat(r.pod()).isEqualTo("default/second-nic"));

    onNode(nodePid, env + cnitool + " del macvlan-net1 /var/run/netns/second-nic && ip netns del second-nic");
    assertThat(PoolRecords.read(client, "test-ippool-6")).as("a DEL while the pod lives keeps its IP (as Spiderpool's)")
        .containsKey(inet.group(1));
    ok(kubectl(null, "delete", "pod", "-n", "default", "second-nic", "--wait=true"));
    Eventually.until("the controller's GC releases the deleted pod's IP", Duration.ofMinutes(1),
        () -> !PoolRecords.read(client, "test-ippool-6").containsKey(inet.group(1)));
    ok(kubectl(null, "delete", "spidermultusconfig", "-n", NS, "macvlan-net1"));
    PoolInvariants.assertHold(client, Set.copyOf(POOL_OF_NODE.values()));
  }

  /** {@code command} by sh in the node's mount and network namespaces; its output, which must succeed. */
  private static String onNode(String nodePid, String command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("nsenter", "-t", nodePid, "-m", "-n", "sh", "-c", command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(command + ": " + out).isZero();
    return out;
  }

  private static String buildTool(String tool) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(RepoDir.resolve("scripts/build-tool.sh").toString(), tool)
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes()).strip();
    assertThat(p.waitFor()).as("scripts/build-tool.sh " + tool).isZero();
    return out;
  }

  @Test
  @Order(4)
  void helmUpgradeRollsTheAgentsWithoutLosingAnIp() throws Exception {
    for (Pod pod : client.pods().inNamespace(NS).withLabel("app.kubernetes.io/instance", "spiderpool").list().getItems()) {
      String log = kubectl(null, "logs", "-n", NS, pod.getMetadata().getName()).out();
      assertThat(log).as(pod.getMetadata().getName() + " was refused nothing by RBAC").doesNotContain("is forbidden");
    }
    Map<String, String> before = seedPodIps();
    Set<String> agentsBefore = names(client.pods().inNamespace(NS).withLabel("app.kubernetes.io/component", "spiderpool-agent")
        .list().getItems());
    String secretBefore = client.secrets().inNamespace(NS).withName("spiderpool-controller-server-certs").get().getData()
        .get("ca.crt");
    ok(helm("upgrade", "spiderpool", RepoDir.resolve("charts/spiderpool").toString(), "-n", NS, "--reuse-values",
        "--set", "spiderpoolAgent.debug.logLevel=debug", "--wait", "--timeout", "4m"));
    ok(kubectl(null, "rollout", "status", "-n", NS, "daemonset/spiderpool-agent", "--timeout=3m"));
    List<Pod> agents = client.pods().inNamespace(NS).withLabel("app.kubernetes.io/component", "spiderpool-agent").list().getItems();
    assertThat(names(agents)).as("the agents were replaced").doesNotContainAnyElementsOf(agentsBefore);
    assertThat(seedPodIps()).as("the running pods keep their names and addresses").isEqualTo(before);
    assertThat(client.secrets().inNamespace(NS).withName("spiderpool-controller-server-certs").get().getData().get("ca.crt"))
        .as("the webhook CA is kept across the upgrade").isEqualTo(secretBefore);
    PoolInvariants.assertHold(client, Set.copyOf(POOL_OF_NODE.values()));
  }

  @Test
  @Order(5)
  void killingTheAgentWhilePodsAreCreatedLeavesEveryPodOneIpAndLeaksNone() throws Exception {
    ok(kubectl(null, "create", "namespace", "churn"));
    ok(kubectl(Manifests.deployment("churn", "churn", 8, List.of("test-ippool-6", "test-ippool-7")), "apply", "-f", "-"));
    Thread.sleep(300);
    for (String node : POOL_OF_NODE.keySet()) {
      killAgentJvm(node);
    }
    Eventually.until("the 8 pods Running after the agents were killed", Duration.ofMinutes(4),
        () -> client.pods().inNamespace("churn").list().getItems().stream().filter(NodeE2EIT::ready).count() == 8);
    for (Pod agent : client.pods().inNamespace(NS).withLabel("app.kubernetes.io/component", "spiderpool-agent").list().getItems()) {
      assertThat(agent.getStatus().getContainerStatuses().get(0).getRestartCount()).as(agent.getMetadata().getName() + " was killed")
          .isPositive();
    }
    Map<String, String> recorded = new HashMap<>();
    for (String pool : POOL_OF_NODE.values()) {
      PoolRecords.read(client, pool).forEach((ip, r) -> recorded.put(r.pod(), ip));
    }
    for (Pod pod : client.pods().inNamespace("churn").list().getItems()) {
      List<String> inets = inets(pod);
      assertThat(inets).as(pod.getMetadata().getName() + " has exactly one IPv4 address on eth0").hasSize(1);
      assertThat(recorded.get("churn/" + pod.getMetadata().getName())).as("the pool records the address the pod has")
          .isEqualTo(inets.get(0));
    }
    PoolInvariants.assertHold(client, Set.copyOf(POOL_OF_NODE.values()));

    ok(kubectl(null, "delete", "namespace", "churn", "--wait=true", "--timeout=3m"));
    Eventually.until("the churn pods' IPs released", Duration.ofMinutes(2), () -> POOL_OF_NODE.values().stream()
        .mapToInt(p -> PoolRecords.read(client, p).size()).sum() == 2);
    PoolInvariants.assertHold(client, Set.copyOf(POOL_OF_NODE.values()));
  }

  @Test
  @Order(6)
  void helmUninstallRemovesEverythingItInstalled() throws Exception {
    ok(kubectl(null, "delete", "daemonset", "-n", "default", "test-app", "--wait=true"));
    Eventually.until("the seed's pods gone", Duration.ofMinutes(2), () -> seedPods().isEmpty());
    ok(helm("uninstall", "spiderpool", "-n", NS, "--wait", "--timeout", "3m"));
    Eventually.until("the release's pods gone", Duration.ofMinutes(2),
        () -> client.pods().inNamespace(NS).withLabel("app.kubernetes.io/instance", "spiderpool").list().getItems().isEmpty());
    assertThat(client.admissionRegistration().v1().mutatingWebhookConfigurations().withName("spiderpool-controller").get())
        .as("no mutating webhook left to block the API server").isNull();
    assertThat(client.admissionRegistration().v1().validatingWebhookConfigurations().withName("spiderpool-controller").get())
        .as("no validating webhook left").isNull();
    assertThat(client.apiextensions().v1().customResourceDefinitions().list().getItems())
        .as("the Spiderpool CRDs deleted by the pre-delete hook").noneMatch(c -> Constants.GROUP.equals(c.getSpec().getGroup()));
    assertThat(client.secrets().inNamespace(NS).withName("spiderpool-controller-server-certs").get())
        .as("the webhook certificate the controller made").isNull();
    for (List<? extends HasMetadata> left : List.of(
        client.apps().daemonSets().inNamespace(NS).list().getItems(),
        client.apps().deployments().inNamespace(NS).list().getItems(),
        client.batch().v1().jobs().inNamespace(NS).list().getItems(),
        client.services().inNamespace(NS).list().getItems(),
        client.configMaps().inNamespace(NS).withLabel("app.kubernetes.io/instance", "spiderpool").list().getItems(),
        client.serviceAccounts().inNamespace(NS).list().getItems().stream()
            .filter(s -> s.getMetadata().getName().startsWith("spiderpool")).toList(),
        client.rbac().clusterRoles().list().getItems().stream().filter(r -> r.getMetadata().getName().startsWith("spiderpool")).toList(),
        client.rbac().clusterRoleBindings().list().getItems().stream()
            .filter(r -> r.getMetadata().getName().startsWith("spiderpool")).toList())) {
      assertThat(names(left)).as("left behind by helm uninstall").isEmpty();
    }
  }

  /** SIGKILL to the agent's JVM on {@code node}; the kubelet restarts the container. */
  private static void killAgentJvm(String node) throws IOException, InterruptedException {
    long pid = NodeAgents.pid(cluster, node);
    assertThat(new ProcessBuilder("kill", "-9", Long.toString(pid)).start().waitFor()).as("kill " + pid + " on " + node).isZero();
  }

  private static List<Pod> seedPods() {
    return client.pods().inNamespace("default").withLabel("app", "test-app").list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
  }

  /** Pod name to the IPv4 address {@code ip addr} shows on its eth0, once both DaemonSet pods are Ready. */
  private static Map<String, String> seedPodIps() throws InterruptedException {
    Eventually.until("the DaemonSet's pod Ready on each node", Duration.ofMinutes(2),
        () -> seedPods().stream().filter(NodeE2EIT::ready).map(p -> p.getSpec().getNodeName()).distinct().count() == 2
            && seedPods().size() == 2);
    Map<String, String> ips = new HashMap<>();
    for (Pod pod : seedPods()) {
      List<String> inets = inets(pod);
      assertThat(inets).as(pod.getMetadata().getName() + " has one IPv4 address").hasSize(1);
      assertThat(inets.get(0)).as(pod.getMetadata().getName() + "'s address is the one the API shows")
          .isEqualTo(pod.getStatus().getPodIP());
      ips.put(pod.getMetadata().getName(), inets.get(0));
    }
    return ips;
  }

  private static List<String> inets(Pod pod) {
    ClusterTools.Result r = kubectl(null, "exec", "-n", pod.getMetadata().getNamespace(), pod.getMetadata().getName(), "--",
        "ip", "-4", "addr", "show", "eth0");
    ok(r);
    Matcher m = INET.matcher(r.out());
    List<String> found = new ArrayList<>();
    while (m.find()) {
      found.add(m.group(1));
    }
    return found;
  }

  private static double agentMetric(String node, String name) throws IOException, InterruptedException {
    return NodeAgents.sample(NodeAgents.metrics(client, node), name);
  }

  private static boolean ready(Pod pod) {
    return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
        .anyMatch((PodCondition c) -> c.getType().equals("Ready") && c.getStatus().equals("True"));
  }

  private static Set<String> names(List<? extends HasMetadata> objects) {
    return objects.stream().map(o -> o.getMetadata().getName()).collect(Collectors.toSet());
  }

  private static ClusterTools.Result helm(String... args) {
    return ClusterTools.exec(cluster, "helm", null, args);
  }

  private static ClusterTools.Result kubectl(String stdin, String... args) {
    return ClusterTools.exec(cluster, "kubectl", stdin, args);
  }

  private static void ok(ClusterTools.Result r) {
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
  }
}
