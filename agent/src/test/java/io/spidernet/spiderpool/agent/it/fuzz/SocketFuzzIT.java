package io.spidernet.spiderpool.agent.it.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spidernet.spiderpool.testsupport.agent.AgentClient;
import io.spidernet.spiderpool.testsupport.agent.AgentProcess;
import io.spidernet.spiderpool.agent.it.Pods;
import io.spidernet.spiderpool.it.Fixtures;
import io.spidernet.spiderpool.testsupport.kube.KubeCluster;
import io.spidernet.spiderpool.testsupport.kube.LocalCluster;
import io.spidernet.spiderpool.testsupport.kube.TestNamespace;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The agent's socket as an attacker or a broken client sees it, against one agent process (the
 * shaded jar, the node's JVM options): generated malformed requests, hostile names, idle, slow and
 * half-closed connections, a second agent on the same socket. Every answer is well-formed JSON, no
 * name reaches the API server as anything but a name, connections do not pile up, and at the end the
 * agent still serves a valid ADD with its memory under 200 MiB.
 */
@ExtendWith(KubeCluster.class)
class SocketFuzzIT {
  static final String NODE = "fuzz-node";
  static final int GENERATED = 10_000;
  static AgentProcess agent;
  static String pool;

  @BeforeAll
  static void start(KubernetesClient client, LocalCluster cluster, TestNamespace ns) throws Exception {
    pool = ns.unique("fuzz");
    client.resource(Fixtures.pool(pool, "10.28.0.0/24", "10.28.0.10-10.28.0.20")).create();
    agent = AgentProcess.start(AgentProcess.jar(), NODE, cluster.kubeconfig(), Files.createTempDirectory("fuzz"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (agent != null) {
      agent.close();
    }
  }

  /** One exchange: what was sent, the raw answer (empty when the agent closed without one). */
  record Exchange(String sent, String answer) {
    int status() {
      return answer.startsWith("HTTP/1.1 ") ? Integer.parseInt(answer.substring(9, 12)) : -1;
    }

    String body() {
      int end = answer.indexOf("\r\n\r\n");
      return end < 0 ? "" : answer.substring(end + 4);
    }
  }

  static Exchange exchange(byte[] request, boolean halfClose) throws IOException {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(agent.socket()));
      ByteBuffer out = ByteBuffer.wrap(request);
      while (out.hasRemaining()) {
        try {
          ch.write(out);
        } catch (IOException e) {
          break; // the agent closed early (an oversized request): read what it answered
        }
      }
      if (halfClose) {
        ch.shutdownOutput();
      }
      ByteArrayOutputStream in = new ByteArrayOutputStream();
      ByteBuffer buf = ByteBuffer.allocate(8192);
      while (true) {
        buf.clear();
        int n;
        try {
          n = ch.read(buf);
        } catch (IOException e) {
          break;
        }
        if (n < 0) {
          break;
        }
        in.write(buf.array(), 0, n);
        String sofar = in.toString(StandardCharsets.ISO_8859_1);
        if (complete(sofar)) {
          break;
        }
      }
      return new Exchange(new String(request, StandardCharsets.ISO_8859_1), in.toString(StandardCharsets.UTF_8));
    }
  }

  /** Whether {@code answer} holds a whole response (by its content-length). */
  static boolean complete(String answer) {
    int end = answer.indexOf("\r\n\r\n");
    if (end < 0) {
      return false;
    }
    String head = answer.substring(0, end).toLowerCase();
    int at = head.indexOf("content-length:");
    if (at < 0) {
      return false;
    }
    int len = Integer.parseInt(head.substring(at + 15).split("\r\n")[0].trim());
    return answer.length() - end - 4 >= len;
  }

  static byte[] http(String method, String path, String body) {
    String head = method + " " + path + " HTTP/1.1\r\nHost: agent\r\nConnection: close\r\n"
        + (body == null ? "" : "Content-Type: application/json\r\nContent-Length: "
        + body.getBytes(StandardCharsets.UTF_8).length + "\r\n") + "\r\n";
    return (head + (body == null ? "" : body)).getBytes(StandardCharsets.UTF_8);
  }

  static final String[] PATHS = {"/v1/ipam/ip", "/v1/ipam/ips", "/v1/ipam/healthy", "/v1/workloadendpoint",
      "/v1/coordinator/config", "/v1/cni", "/", "/v2/x", "/v1/ipam/ip/../../etc", "/v1/%00", "/metrics"};
  static final String[] METHODS = {"GET", "POST", "DELETE", "PUT", "PATCH", "OPTIONS", "HEAD", "BREW", "G E T"};
  static final String[] NAMES = {"?watch=1", "victim/status", "victim?x=1", "victim%2Fstatus", "../victim", "",
      "UPPER", "a".repeat(300), "ok-name", "x\u0000y", "\u00e9t\u00e9", "-dash", "victim"};

  /** One generated request: mostly almost-right ones, as a fuzzer that knows the API would send. */
  static byte[] generated(Random r, String ns) {
    switch (r.nextInt(9)) {
      case 0: {
        byte[] junk = new byte[1 + r.nextInt(600)];
        r.nextBytes(junk);
        return junk;
      }
      case 1:
        return http(METHODS[r.nextInt(METHODS.length)], PATHS[r.nextInt(PATHS.length)], null);
      case 2:
        return http("POST", "/v1/ipam/ip", mutateJson(r, ns));
      case 3:
        return http("DELETE", "/v1/ipam/ip", mutateJson(r, ns));
      case 4:
        return http("GET", "/v1/workloadendpoint?podNamespace=" + ns + "&podName="
            + java.net.URLEncoder.encode(NAMES[r.nextInt(NAMES.length)], StandardCharsets.UTF_8), null);
      case 5:
        return ("GET /" + "a".repeat(9000 + r.nextInt(4000)) + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.UTF_8);
      case 6:
        return ("GET /v1/ipam/healthy HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(17000 + r.nextInt(2000)) + "\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8);
      case 7:
        // A chunked body whose chunk sizes lie or are not hex.
        return ("POST /v1/cni HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n"
            + (r.nextBoolean() ? "zz\r\n{}\r\n0\r\n\r\n" : "5\r\n{\"env\":{}}\r\n0\r\n\r\n")).getBytes(StandardCharsets.UTF_8);
      default: {
        JsonObject cni = AgentClient.cniCall("ADD", podNamed(ns, NAMES[r.nextInt(NAMES.length)]), "c1", "{\"cniVersion\":\"1.0.0\","
            + "\"name\":\"n\",\"type\":\"macvlan\",\"ipam\":{\"type\":\"spiderpool\"}}");
        return http("POST", "/v1/cni", r.nextInt(4) == 0 ? cni.encode().substring(0, r.nextInt(cni.encode().length())) : cni.encode());
      }
    }
  }

  static Pod podNamed(String ns, String name) {
    Pod p = new Pod();
    p.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withNamespace(ns).withName(name)
        .withUid("uid-fuzz").build());
    return p;
  }

  static String mutateJson(Random r, String ns) {
    JsonObject args = AgentClient.addArgs(ns, NAMES[r.nextInt(NAMES.length)], "uid-fuzz", "eth0");
    switch (r.nextInt(5)) {
      case 0:
        args.put("podNamespace", NAMES[r.nextInt(NAMES.length)]);
        break;
      case 1:
        args.put("ifName", 42);
        break;
      case 2:
        args.put("defaultIPv4IPPool", new io.vertx.core.json.JsonArray().add("?watch=1").add(pool));
        break;
      case 3:
        return args.encode().substring(0, r.nextInt(args.encode().length()));
      default:
        args.remove("podUID");
    }
    return args.encode();
  }

  @Test
  void everyGeneratedRequestGetsAWellFormedAnswerAndTheAgentServesOnAfterwards(KubernetesClient client,
      TestNamespace ns) throws Exception {
    Pods.onNode(client, ns.name(), NODE, "victim", pool);
    Random random = new Random(20261130L);
    List<byte[]> requests = new ArrayList<>();
    for (int i = 0; i < GENERATED; i++) {
      requests.add(generated(random, ns.name()));
    }
    Map<String, Exchange> malformed = new ConcurrentHashMap<>();
    AtomicInteger answered = new AtomicInteger();
    ExecutorService pool16 = Executors.newFixedThreadPool(16);
    List<Future<?>> runs = new ArrayList<>();
    for (byte[] request : requests) {
      runs.add(pool16.submit(() -> {
        // Junk is half-closed after sending: the agent answers what it can and closes, without
        // waiting out its read deadline.
        boolean junk = request.length > 0 && !Character.isUpperCase(request[0]);
        Exchange e = exchange(request, junk);
        if (e.status() > 0) {
          answered.incrementAndGet();
          if (!wellFormed(e)) {
            malformed.putIfAbsent(e.status() + " " + e.answer(), e);
          }
          if (e.status() == 200 && e.sent().startsWith("POST /v1/ipam/ip ") && (e.sent().contains("?watch")
              || e.sent().contains("victim%2F") || e.sent().contains("victim/status") || e.sent().contains("victim?x"))) {
            malformed.putIfAbsent("a hostile name was served: " + e.sent(), e);
          }
        }
        return null;
      }));
    }
    for (Future<?> f : runs) {
      f.get(5, TimeUnit.MINUTES);
    }
    pool16.shutdown();
    System.out.println("socket-fuzz: " + GENERATED + " requests, " + answered.get() + " answered with HTTP");
    assertThat(malformed).as("answers that are not well-formed JSON errors, or hostile names served").isEmpty();
    assertThat(answered.get()).as("almost every request is answered (raw junk may be dropped)").isGreaterThan(GENERATED / 2);

    // Hostile names are refused at once with the reason, never resolved to another object.
    for (String name : List.of("?watch=1", "victim/status", "victim?x=1", "victim%2Fstatus")) {
      Exchange e = exchange(http("POST", "/v1/ipam/ip", AgentClient.addArgs(ns.name(), name, "uid-x", "eth0").encode()), false);
      assertThat(e.status()).as(name).isEqualTo(500);
      assertThat(e.body()).as(name).contains("is not a valid Kubernetes name");
    }

    assertServesAValidAdd(client, ns, "after-fuzz");
  }

  @Test
  void idleSlowAndHalfClosedConnectionsAreHandled(KubernetesClient client, TestNamespace ns) throws Exception {
    // Idle connections beyond the cap are closed at once; the rest when their read deadline passes.
    List<SocketChannel> idle = new ArrayList<>();
    try {
      for (int i = 0; i < 3000; i++) {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(agent.socket()));
        idle.add(ch);
      }
      Thread.sleep(1000);
      long closedEarly = idle.stream().filter(SocketFuzzIT::closedByPeer).count();
      assertThat(closedEarly).as("connections over the cap are closed").isGreaterThanOrEqualTo(3000 - 1024);
      long waitStart = System.nanoTime();
      while (idle.stream().anyMatch(ch -> !closedByPeer(ch)) && System.nanoTime() - waitStart < TimeUnit.SECONDS.toNanos(30)) {
        Thread.sleep(200);
      }
      assertThat(idle.stream().filter(SocketFuzzIT::closedByPeer).count()).as("idle connections are closed")
          .isEqualTo(idle.size());
      System.out.println("socket-fuzz: idle connections within the cap were closed after about "
          + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - waitStart + TimeUnit.SECONDS.toNanos(1)) + " s");

      // A slow client: a header byte every half second keeps its connection busy, not alive.
      SocketChannel slow = SocketChannel.open(StandardProtocolFamily.UNIX);
      slow.connect(UnixDomainSocketAddress.of(agent.socket()));
      long start = System.nanoTime();
      boolean closed = false;
      byte[] head = ("GET /v1/ipam/healthy HTTP/1.1\r\nX-Slow: " + "a".repeat(60)).getBytes(StandardCharsets.US_ASCII);
      for (int i = 0; i < head.length && !closed; i++) {
        try {
          slow.write(ByteBuffer.wrap(head, i, 1));
          closed = closedByPeer(slow);
          slow.configureBlocking(true);
        } catch (IOException e) {
          closed = true;
        }
        Thread.sleep(500);
      }
      slow.close();
      assertThat(closed).as("the trickling client was cut off").isTrue();
      System.out.println("socket-fuzz: a trickling client was closed after "
          + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) + " s");
    } finally {
      for (SocketChannel ch : idle) {
        ch.close();
      }
    }

    // A client that half-closes after a whole request is answered.
    Exchange halfClosed = exchange(http("GET", "/v1/ipam/healthy", null), true);
    assertThat(halfClosed.status()).as(halfClosed.answer()).isEqualTo(200);

    assertServesAValidAdd(client, ns, "after-idle");
  }

  @Test
  void aSecondAgentOnTheSameSocketIsRefusedAndTheFirstServesOn(KubernetesClient client, TestNamespace ns)
      throws Exception {
    Path log = Files.createTempFile("second-agent", ".log");
    Process second = agent.launchSecond(AgentProcess.jar(), log);
    assertThat(second.waitFor(90, TimeUnit.SECONDS)).as("the second agent gives up").isTrue();
    assertThat(second.exitValue()).isNotZero();
    assertThat(Files.readString(log)).contains("another spiderpool-agent (pid " + agent.pid() + ") serves unix:"
        + agent.socket());
    assertThat(Files.exists(agent.socket())).as("the live agent's socket is still there").isTrue();
    assertServesAValidAdd(client, ns, "after-second");
  }

  static boolean closedByPeer(SocketChannel ch) {
    try {
      ch.configureBlocking(false);
      return ch.read(ByteBuffer.allocate(1)) < 0;
    } catch (IOException e) {
      return true;
    }
  }

  /** JSON body (a string or an object), or no body at all for a bodiless success. */
  static boolean wellFormed(Exchange e) {
    String body = e.body();
    if (body.isEmpty()) {
      return e.status() == 200 || e.sent().startsWith("HEAD");
    }
    if (!e.answer().toLowerCase().contains("content-type: application/json")) {
      return false;
    }
    try {
      io.vertx.core.json.Json.decodeValue(body);
      return !body.contains("Exception") && !body.contains("java.") && !body.contains("Status(");
    } catch (RuntimeException x) {
      return false;
    }
  }

  static void assertServesAValidAdd(KubernetesClient client, TestNamespace ns, String name) throws Exception {
    Pod pod = Pods.onNode(client, ns.name(), NODE, name, pool);
    long start = System.nanoTime();
    Exchange add = exchange(http("POST", "/v1/ipam/ip", AgentClient.args(pod).encode()), false);
    long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
    assertThat(add.status()).as(add.answer()).isEqualTo(200);
    assertThat(new JsonObject(add.body()).getJsonArray("ips")).hasSize(1);
    double rss = agent.peakRssMiB();
    System.out.printf("socket-fuzz: %s: a valid ADD took %.1f ms; agent peak RSS %.0f MiB%n", name, micros / 1000.0, rss);
    assertThat(rss).as("peak RSS of the agent (MiB)").isLessThan(200);
  }
}
