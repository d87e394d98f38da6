package io.spidernet.spiderpool.agent;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.spidernet.spiderpool.agent.cni.CniHandler;
import io.spidernet.spiderpool.agent.config.AgentConfig;
import io.spidernet.spiderpool.agent.ipam.Allocator;
import io.spidernet.spiderpool.agent.ipam.AutoPoolCandidates;
import io.spidernet.spiderpool.core.subnet.AutoPoolWriter;
import io.spidernet.spiderpool.agent.ipam.MasterInterfaces;
import io.spidernet.spiderpool.agent.ipam.PodLocks;
import io.spidernet.spiderpool.agent.ipam.PodResolver;
import io.spidernet.spiderpool.agent.ipam.Releaser;
import io.spidernet.spiderpool.agent.kube.AgentCaches;
import io.spidernet.spiderpool.agent.metrics.IpamMetrics;
import io.spidernet.spiderpool.core.endpoint.Endpoints;
import io.spidernet.spiderpool.core.ippool.PoolMetrics;
import io.spidernet.spiderpool.core.ippool.PoolSnapshots;
import io.spidernet.spiderpool.core.ippool.PoolStore;
import io.spidernet.spiderpool.core.ippool.PoolWriters;
import io.spidernet.spiderpool.core.kube.Kube;
import io.spidernet.spiderpool.core.pod.Owners;
import io.spidernet.spiderpool.agent.server.AgentProbes;
import io.spidernet.spiderpool.agent.server.IpamServer;
import io.spidernet.spiderpool.agent.warmup.ClientWarmup;
import io.spidernet.spiderpool.agent.warmup.HeapSettle;
import io.spidernet.spiderpool.agent.warmup.Warmup;
import io.spidernet.spiderpool.common.config.ProcessSettings;
import io.spidernet.spiderpool.common.config.Settings;
import io.spidernet.spiderpool.common.http.HealthServer;
import io.spidernet.spiderpool.common.http.MetricsServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.SocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One running agent: the Kubernetes caches, the IPAM engine, the socket API, probes and metrics.
 * {@link AgentMain} starts one per process; tests may start several in one JVM (one per node name).
 */
public final class AgentApp {
  /** Warm-up of the agent's own hot paths, then of its API client calls, once it serves. */
  static final long WARMUP_MILLIS = 1500;
  static final long CLIENT_WARMUP_MILLIS = 1000;

  /** How often idle pool writers and unused snapshots are evicted. */
  static final java.time.Duration EVICTION_PERIOD = java.time.Duration.ofMinutes(1);

  private final Vertx vertx;
  private final Kube kube;
  private final AgentCaches caches;
  private final IpamServer ipam;
  private final List<HttpServer> servers;
  private final PrometheusMeterRegistry registry;
  private final long evictionTimer;

  private AgentApp(Vertx vertx, Kube kube, AgentCaches caches, IpamServer ipam, List<HttpServer> servers,
      PrometheusMeterRegistry registry, long evictionTimer) {
    this.ipam = ipam;
    this.vertx = vertx;
    this.kube = kube;
    this.caches = caches;
    this.servers = servers;
    this.registry = registry;
    this.evictionTimer = evictionTimer;
  }

  public static Future<AgentApp> start(Vertx vertx, Settings settings, AgentConfig config, String clusterNetwork) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    IpamMetrics metrics = new IpamMetrics(registry);
    String node = settings.get(AgentSettings.NODE_NAME);
    Kube kube = Kube.connect(vertx, "spiderpool-kube", settings.get(AgentSettings.KUBE_WORKERS));
    return AgentCaches.start(kube, node).recover(e -> {
      kube.close();
      return Future.failedFuture(e);
    }).compose(caches -> {
      PoolSnapshots snapshots = new PoolSnapshots();
      PoolWriters writers = new PoolWriters(vertx, PoolStore.of(kube), caches, snapshots, new PoolMetrics(registry),
          settings.get(ProcessSettings.IPPOOL_MAX_ALLOCATED_IPS), true);
      long evictionTimer = writers.evictPeriodically(EVICTION_PERIOD, PoolWriters.IDLE_EVICTION);
      Owners owners = new Owners(kube);
      PodResolver pods = new PodResolver(kube, caches, owners);
      Endpoints endpoints = new Endpoints(kube);
      PodLocks locks = new PodLocks();
      String agentNamespace = settings.get(ProcessSettings.POD_NAMESPACE);
      Allocator allocator = new Allocator(vertx, config, agentNamespace, clusterNetwork, kube, caches, owners, pods, endpoints,
          writers, locks, metrics, new MasterInterfaces(Path.of("/sys")), new AutoPoolCandidates(vertx, config, caches,
              settings.get(AgentSettings.WAIT_SUBNET_POOL_TIME), settings.get(AgentSettings.WAIT_SUBNET_POOL_MAX_RETRIES), kube,
              new AutoPoolWriter(kube.client(), writers::reserved, (subnet, base) -> { })));
      Releaser releaser = new Releaser(config, owners, pods, endpoints, writers, locks, metrics);
      CniHandler cni = new CniHandler(allocator, releaser, endpoints, caches, writers, pods, node,
          settings.get(AgentSettings.IPAM_REQUEST_TIMEOUT));
      IpamServer ipam = new IpamServer(config, kube, caches, allocator, releaser, endpoints, cni,
          settings.get(AgentSettings.IPAM_REQUEST_TIMEOUT), settings.get(AgentSettings.ENABLED_RELEASE_CONFLICT_IPS));
      List<HttpServer> servers = new ArrayList<>();
      java.util.concurrent.atomic.AtomicBoolean socketOpen = new java.util.concurrent.atomic.AtomicBoolean();
      io.vertx.core.net.NetClient selfCheck = vertx.createNetClient();
      HealthServer.Probes probes = AgentProbes.of(socketOpen::get,
          () -> selfCheck.connect(SocketAddress.domainSocketAddress(config.ipamUnixSocketPath())).compose(so -> so.close()),
          caches::synced, () -> kube.callUnbounded(() -> null), vertx);
      // Serve as soon as the caches are synced (a node's pods wait for the socket), then warm the hot
      // paths beside the first requests, and give the warm-up's garbage back to the node.
      Future<HttpServer> socket = ipam.listen(vertx, Path.of(config.ipamUnixSocketPath()))
          .andThen(ar -> socketOpen.set(ar.succeeded()))
          .onSuccess(s -> kube.callUnbounded(() -> {
            Warmup.run(kube.client().getKubernetesSerialization(), WARMUP_MILLIS);
            ClientWarmup.run(vertx, CLIENT_WARMUP_MILLIS);
            HeapSettle.afterWarmup();
            return null;
          }));
      Future<HttpServer> health = HealthServer.start(vertx, "0.0.0.0", settings.get(AgentSettings.HEALTH_PORT), probes)
          .andThen(ar -> add(servers, ar.result()));
      Future<HttpServer> scrape = settings.get(ProcessSettings.ENABLED_METRIC)
          ? MetricsServer.start(vertx, settings.get(AgentSettings.METRIC_HTTP_PORT), registry).andThen(ar -> add(servers, ar.result()))
          : Future.succeededFuture();
      return Future.all(socket, health, scrape)
          .map(v -> new AgentApp(vertx, kube, caches, ipam, servers, registry, evictionTimer))
          .recover(e -> {
            vertx.cancelTimer(evictionTimer);
            ipam.close();
            servers.forEach(HttpServer::close);
            caches.close();
            kube.close();
            return Future.failedFuture(e);
          });
    });
  }

  private static synchronized void add(List<HttpServer> servers, HttpServer server) {
    if (server != null) {
      servers.add(server);
    }
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The agent's API access. */
  public Kube kube() {
    return kube;
  }

  /** The agent's informer caches. */
  public AgentCaches caches() {
    return caches;
  }

  /** Stops serving and closes the Kubernetes client; the socket file is left for the next start to remove. */
  public Future<Void> close() {
    List<Future<Void>> closing = new ArrayList<>();
    closing.add(ipam.close());
    servers.forEach(s -> closing.add(s.close()));
    vertx.cancelTimer(evictionTimer);
    return Future.join(closing).onComplete(x -> {
      caches.close();
      kube.close();
    }).mapEmpty();
  }
}
