package io.spidernet.spiderpool.agent.it.concurrency;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spidernet.spiderpool.testsupport.agent.AgentClient;
import io.spidernet.spiderpool.testsupport.agent.AgentProcess;
import io.spidernet.spiderpool.agent.it.Pods;
import io.spidernet.spiderpool.agent.it.Pools;
import io.spidernet.spiderpool.api.codec.PoolIPAllocation;
import io.spidernet.spiderpool.api.codec.PoolIPAllocations;
import io.spidernet.spiderpool.api.v2beta1.SpiderEndpoint;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.it.Fixtures;
import io.spidernet.spiderpool.testsupport.kube.KubeCluster;
import io.spidernet.spiderpool.testsupport.kube.LocalCluster;
import io.spidernet.spiderpool.testsupport.kube.TestNamespace;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Three agent processes race for one pool of exactly 256 IPs: 512 ADDs give exactly 256 IPs, no IP
 * twice, and the rest fail fast naming the pool. A kill -9 of one agent mid-burst, then restart and
 * retry (as kubelet does), leaves no duplicate and no record without a pod.
 */
@ExtendWith(KubeCluster.class)
class ConcurrencyIT {
  static final int N = 256;
  static final List<String> NODES = List.of("race-node-0", "race-node-1", "race-node-2");
  static Vertx vertx;
  static List<AgentProcess> agents = new ArrayList<>();
  static Map<String, AgentClient> clients = new HashMap<>();
  static String pool;
  static Path work;

  @BeforeAll
  static void start(KubernetesClient client, LocalCluster cluster, TestNamespace ns) throws Exception {
    pool = ns.unique("exact-256");
    client.resource(Fixtures.pool(pool, "10.30.0.0/16", "10.30.1.0-10.30.1.255")).create();
    vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    work = Files.createTempDirectory("race");
    for (String node : NODES) {
      AgentProcess agent = AgentProcess.start(AgentProcess.jar(), node, cluster.kubeconfig(), work);
      agents.add(agent);
      clients.put(node, new AgentClient(vertx, agent.socket()));
    }
  }

  @AfterAll
  static void stop(KubernetesClient client) throws Exception {
    for (AgentProcess a : agents) {
      a.close();
    }
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    client.resources(SpiderIPPool.class).withName(pool).delete();
  }

  @AfterEach
  void releaseEverything(KubernetesClient client, TestNamespace ns) throws Exception {
    deleteAndRelease(client, ns, client.pods().inNamespace(ns.name()).list().getItems());
    assertThat(records(client)).as("every IP is back in the pool").isEmpty();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    List<SpiderEndpoint> left;
    do {
      left = client.resources(SpiderEndpoint.class).inNamespace(ns.name()).list().getItems();
      if (left.isEmpty()) {
        return;
      }
      Thread.sleep(200);
    } while (System.nanoTime() < deadline);
    assertThat(left).as("endpoints left after every pod was deleted and released")
        .extracting(se -> se.getMetadata().getName() + " finalizers=" + se.getMetadata().getFinalizers()).isEmpty();
  }

  @Test
  void twiceAsManyPodsAsIPsGetExactlyOneIPEachUntilThePoolIsFull(KubernetesClient client, TestNamespace ns) throws Exception {
    List<Pod> pods = createPods(client, ns, "burst", 2 * N);
    Map<String, String> ipByPod = new ConcurrentHashMap<>();
    List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    addAll(ns, pods, ipByPod, failures);

    assertThat(ipByPod).hasSize(N);
    assertThat(new HashSet<>(ipByPod.values())).as("distinct IPs handed out").hasSize(N);
    assertThat(failures).hasSize(N).allSatisfy(f -> assertThat(f)
        .contains("all IP addresses used out: IPPool " + pool + " has 256 of 256 IPs allocated"));
    assertConsistent(client, ns, ipByPod, N);
  }

  @Test
  void killNineMidBurstLosesAndDuplicatesNothing(KubernetesClient client, TestNamespace ns) throws Exception {
    List<Pod> pods = createPods(client, ns, "killed", N);
    Map<String, String> ipByPod = new ConcurrentHashMap<>();
    List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Future<?>> calls = new ArrayList<>();
    for (int i = 0; i < pods.size(); i++) {
      calls.add(add(ns, pods.get(i), NODES.get(i % 3), ipByPod, failures));
      if (i == N / 2) {
        agents.get(1).kill9();
      }
    }
    Future.join(calls).toCompletionStage().toCompletableFuture().handle((r, e) -> null).get(180, TimeUnit.SECONDS);
    assertThat(failures).as("ADDs cut off by the kill").isNotEmpty();

    agents.get(1).launch(AgentProcess.jar());
    clients.put(NODES.get(1), new AgentClient(vertx, agents.get(1).socket()));
    List<Pod> retry = pods.stream().filter(p -> !ipByPod.containsKey(p.getMetadata().getName())).toList();
    failures.clear();
    List<Future<?>> retries = new ArrayList<>();
    for (Pod pod : retry) {
      retries.add(add(ns, pod, pod.getSpec().getNodeName(), ipByPod, failures));
    }
    Future.join(retries).toCompletionStage().toCompletableFuture().handle((r, e) -> null).get(180, TimeUnit.SECONDS);

    assertThat(failures).as("retries after the restart").isEmpty();
    assertThat(ipByPod).hasSize(N);
    assertThat(new HashSet<>(ipByPod.values())).hasSize(N);
    assertConsistent(client, ns, ipByPod, N);
  }

  @Test
  void chaosRoundsOfKillNineLeaveRecordsAndEndpointsInAgreementAndDelsReleaseAll(KubernetesClient client,
      TestNamespace ns) throws Exception {
    for (int round = 0; round < 3; round++) {
      List<Pod> pods = createPods(client, ns, "chaos" + round, N + N / 2);
      Map<String, String> ipByPod = new ConcurrentHashMap<>();
      List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
      List<Future<?>> calls = new ArrayList<>();
      AgentProcess victim = agents.get(round % 3);
      for (int i = 0; i < pods.size(); i++) {
        calls.add(add(ns, pods.get(i), pods.get(i).getSpec().getNodeName(), ipByPod, failures));
        if (i == pods.size() / 2) {
          victim.kill9();
        }
      }
      Future.join(calls).toCompletionStage().toCompletableFuture().handle((r, e) -> null).get(180, TimeUnit.SECONDS);
      victim.launch(AgentProcess.jar());
      clients.put(victim.node(), new AgentClient(vertx, victim.socket()));
      // Half the pods whose ADD was cut off are retried (kubelet would); the others are deleted unretried.
      List<Pod> cut = pods.stream().filter(p -> !ipByPod.containsKey(p.getMetadata().getName())).toList();
      List<Future<?>> retries = new ArrayList<>();
      for (int i = 0; i < cut.size(); i += 2) {
        retries.add(add(ns, cut.get(i), cut.get(i).getSpec().getNodeName(), ipByPod, new ArrayList<>()));
      }
      Future.join(retries).toCompletionStage().toCompletableFuture().handle((r, e) -> null).get(180, TimeUnit.SECONDS);
      assertThat(new HashSet<>(ipByPod.values())).as("round " + round + ": no IP handed out twice").hasSize(ipByPod.size());
      assertRecordsAndEndpointsAgree(client, ns, ipByPod, round);

      // Every pod goes; kubelet's DELs, half of them without a pod UID, release everything.
      pods.parallelStream().forEach(p -> client.resource(p).withGracePeriod(0).delete());
      for (Pod pod : pods) {
        client.resource(pod).waitUntilCondition(p -> p == null, 30, TimeUnit.SECONDS);
      }
      List<Future<?>> dels = new ArrayList<>();
      for (int i = 0; i < pods.size(); i++) {
        JsonObject args = AgentClient.args(pods.get(i));
        dels.add(clients.get(pods.get(i).getSpec().getNodeName()).call(HttpMethod.DELETE, "/v1/ipam/ip",
            i % 2 == 0 ? args : args.put("podUID", "")));
      }
      Future.join(dels).toCompletionStage().toCompletableFuture().handle((r, e) -> null).get(300, TimeUnit.SECONDS);
      assertThat(records(client)).as("round " + round + ": every IP is back, also those whose endpoint was never written")
          .isEmpty();
      releaseEverything(client, ns);
    }
  }

  /**
   * Both directions: every endpoint names only IPs its pool records for the endpoint's UID, every
   * record has the endpoint of its UID naming it, and each is the IP the pod was answered (when it was).
   */
  static void assertRecordsAndEndpointsAgree(KubernetesClient client, TestNamespace ns, Map<String, String> ipByPod,
      int round) {
    SortedMap<String, PoolIPAllocation> records = records(client);
    Map<String, SpiderEndpoint> endpoints = new HashMap<>();
    client.resources(SpiderEndpoint.class).inNamespace(ns.name()).list().getItems()
        .forEach(se -> endpoints.put(se.getMetadata().getName(), se));
    for (SpiderEndpoint se : endpoints.values()) {
      for (var nic : se.getStatus().current.ips) {
        String ip = nic.ipv4.substring(0, nic.ipv4.indexOf('/'));
        assertThat(records.get(ip)).as("round " + round + ": " + se.getMetadata().getName() + " names " + ip).isNotNull();
        assertThat(records.get(ip).podUid()).as("round " + round + ": the record of " + ip + " is of the endpoint's UID")
            .isEqualTo(se.getStatus().current.uid);
      }
    }
    for (Map.Entry<String, PoolIPAllocation> r : records.entrySet()) {
      String pod = r.getValue().name();
      if (ipByPod.containsKey(pod)) {
        assertThat(ipByPod.get(pod)).as("round " + round + ": " + pod + " was answered its record").isEqualTo(r.getKey() + "/16");
        assertThat(endpoints).as("round " + round + ": answered pod " + pod + " has its endpoint").containsKey(pod);
      }
    }
  }

  /** Pool records, endpoints and answers agree: one record per pod, one IP per record. */
  static void assertConsistent(KubernetesClient client, TestNamespace ns, Map<String, String> ipByPod, int expected) {
    SpiderIPPool p = client.resources(SpiderIPPool.class).withName(pool).get();
    SortedMap<String, PoolIPAllocation> records = PoolIPAllocations.decode(pool, p.getStatus().allocatedIPs);
    assertThat(p.getStatus().allocatedIPCount).as("allocatedIPCount equals the records").isEqualTo((long) records.size());
    assertThat(records).hasSize(expected);
    Set<String> podsWithRecords = new HashSet<>();
    for (Map.Entry<String, PoolIPAllocation> r : records.entrySet()) {
      String podName = r.getValue().name();
      assertThat(podsWithRecords.add(podName)).as("pod " + podName + " holds one record").isTrue();
      assertThat(ipByPod.get(podName)).as("record of " + podName + " is the IP it was given (no orphan)")
          .isEqualTo(r.getKey() + "/16");
    }
    List<SpiderEndpoint> endpoints = client.resources(SpiderEndpoint.class).inNamespace(ns.name()).list().getItems();
    assertThat(endpoints).hasSize(expected);
    Set<String> endpointIPs = new HashSet<>();
    for (SpiderEndpoint se : endpoints) {
      String ip = se.getStatus().current.ips.get(0).ipv4;
      assertThat(endpointIPs.add(ip)).as("IP " + ip + " in one endpoint only").isTrue();
      assertThat(ip).isEqualTo(ipByPod.get(se.getMetadata().getName()));
    }
  }

  static void addAll(TestNamespace ns, List<Pod> pods, Map<String, String> ipByPod, List<String> failures) throws Exception {
    List<Future<?>> calls = new ArrayList<>();
    for (Pod pod : pods) {
      calls.add(add(ns, pod, pod.getSpec().getNodeName(), ipByPod, failures));
    }
    Future.join(calls).toCompletionStage().toCompletableFuture().handle((r, e) -> null).get(300, TimeUnit.SECONDS);
  }

  static Future<?> add(TestNamespace ns, Pod pod, String node, Map<String, String> ipByPod, List<String> failures) {
    return clients.get(node).call(HttpMethod.POST, "/v1/ipam/ip",
            AgentClient.args(pod))
        .andThen(ar -> {
          if (ar.succeeded() && ar.result().status() == 200) {
            ipByPod.put(pod.getMetadata().getName(), ar.result().json().getJsonArray("ips").getJsonObject(0).getString("address"));
          } else {
            failures.add(ar.succeeded() ? ar.result().body() : String.valueOf(ar.cause()));
          }
        });
  }

  static List<Pod> createPods(KubernetesClient client, TestNamespace ns, String prefix, int count) {
    List<Pod> pods = java.util.Collections.synchronizedList(new ArrayList<>());
    java.util.stream.IntStream.range(0, count).parallel()
        .forEach(i -> pods.add(Pods.onNode(client, ns.name(), NODES.get(i % 3), prefix + "-" + i, pool)));
    return new ArrayList<>(pods);
  }

  static void deleteAndRelease(KubernetesClient client, TestNamespace ns, List<Pod> pods) throws Exception {
    pods.parallelStream().forEach(p -> client.resource(p).withGracePeriod(0).delete());
    List<Future<?>> dels = new ArrayList<>();
    for (Pod pod : pods) {
      dels.add(clients.get(pod.getSpec().getNodeName()).call(HttpMethod.DELETE, "/v1/ipam/ip",
          AgentClient.args(pod)));
    }
    Future.join(dels).toCompletionStage().toCompletableFuture().handle((r, e) -> null).get(300, TimeUnit.SECONDS);
    for (Pod pod : pods) {
      client.resource(pod).waitUntilCondition(p -> p == null, 30, TimeUnit.SECONDS);
    }
  }

  static SortedMap<String, PoolIPAllocation> records(KubernetesClient client) {
    return Pools.records(client, pool);
  }
}
