package io.spidernet.spiderpool.agent.it;

import io.spidernet.spiderpool.testsupport.agent.AgentClient;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spidernet.spiderpool.agent.AgentApp;
import io.spidernet.spiderpool.agent.AgentSettings;
import io.spidernet.spiderpool.agent.config.AgentConfig;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.common.config.Settings;
import io.spidernet.spiderpool.testsupport.kube.LocalCluster;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Agents for a few node names, in this JVM, each on its own Unix socket, against the test cluster. */
public final class Agents implements AutoCloseable {
  private final Vertx vertx;
  private final Map<String, AgentApp> apps = new LinkedHashMap<>();
  private final Map<String, AgentClient> clients = new LinkedHashMap<>();
  private final List<SpiderIPPool> pools = new ArrayList<>();
  private final Map<String, Path> sockets = new LinkedHashMap<>();
  private KubernetesClient kube;

  private Agents(Vertx vertx) {
    this.vertx = vertx;
  }

  public static Agents start(LocalCluster cluster, Map<String, String> extraEnv, String... nodes) throws Exception {
    return start(cluster, extraEnv, AgentConfig.defaults(), nodes);
  }

  /** As above, each agent with {@code config} (the {@code spiderpool-conf} settings) and its own socket. */
  public static Agents start(LocalCluster cluster, Map<String, String> extraEnv, AgentConfig config, String... nodes)
      throws Exception {
    // KUBECONFIG in extraEnv points the agents elsewhere (through a proxy); the rest are SPIDERPOOL_* settings.
    System.setProperty("kubeconfig", extraEnv.getOrDefault("KUBECONFIG", cluster.kubeconfig().toString()));
    Agents agents = new Agents(io.spidernet.spiderpool.common.http.NativeVertx.create());
    Path sockets = Files.createTempDirectory("agents");
    for (String node : nodes) {
      Path socket = sockets.resolve(node).resolve("spiderpool.sock");
      Map<String, String> env = new LinkedHashMap<>(Map.of(
          "SPIDERPOOL_NODE_NAME", node, "SPIDERPOOL_POD_NAMESPACE", "kube-system",
          "SPIDERPOOL_POD_NAME", "spiderpool-agent-" + node, "SPIDERPOOL_HEALTH_PORT", "0"));
      env.putAll(extraEnv);
      Settings settings = Settings.load(AgentSettings.ALL, env);
      AgentApp app = AgentApp.start(agents.vertx, settings, config.withSocket(socket.toString()), null)
          .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      agents.apps.put(node, app);
      agents.clients.put(node, new AgentClient(agents.vertx, socket));
      agents.sockets.put(node, socket);
    }
    return agents;
  }

  /** Creates pools that belong to this scenario; {@link #close} deletes them. */
  public Agents withPools(KubernetesClient client, SpiderIPPool... created) {
    this.kube = client;
    for (SpiderIPPool pool : created) {
      pools.add(client.resource(pool).create());
    }
    return this;
  }

  /** Closes {@code agents} if a scenario got as far as starting them. */
  public static void closeQuietly(Agents agents) throws Exception {
    if (agents != null) {
      agents.close();
    }
  }

  public Path socket(String node) {
    return sockets.get(node);
  }

  public AgentApp app(String node) {
    return apps.get(node);
  }

  /** Calls the agent of {@code node} and waits for its answer. */
  public AgentClient.Reply call(String node, HttpMethod method, String uri, JsonObject body) throws Exception {
    return clients.get(node).call(method, uri, body).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }

  /** CNI ADD of {@code pod}'s eth0 through the Spiderpool API of {@code node}'s agent. */
  public AgentClient.Reply add(String node, Pod pod) throws Exception {
    return call(node, HttpMethod.POST, "/v1/ipam/ip", AgentClient.args(pod));
  }

  /** CNI DEL of {@code pod}'s eth0 through the Spiderpool API of {@code node}'s agent. */
  public AgentClient.Reply del(String node, Pod pod) throws Exception {
    return call(node, HttpMethod.DELETE, "/v1/ipam/ip", AgentClient.args(pod));
  }

  public Future<AgentClient.Reply> callAsync(String node, HttpMethod method, String uri, JsonObject body) {
    return clients.get(node).call(method, uri, body);
  }

  @Override
  public void close() throws Exception {
    for (AgentApp app : apps.values()) {
      app.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    for (SpiderIPPool pool : pools) {
      kube.resource(pool).delete();
    }
  }
}
