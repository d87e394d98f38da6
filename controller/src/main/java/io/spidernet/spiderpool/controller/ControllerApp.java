package io.spidernet.spiderpool.controller;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.spidernet.spiderpool.common.config.ProcessSettings;
import io.spidernet.spiderpool.common.config.Settings;
import io.spidernet.spiderpool.common.http.HealthServer;
import io.spidernet.spiderpool.common.http.MetricsServer;
import io.spidernet.spiderpool.controller.finalizer.Finalizers;
import io.spidernet.spiderpool.controller.gc.GcCaches;
import io.spidernet.spiderpool.controller.gc.GcLoop;
import io.spidernet.spiderpool.controller.gc.GcScan;
import io.spidernet.spiderpool.controller.gc.GcSettings;
import io.spidernet.spiderpool.controller.runtime.Events;
import io.spidernet.spiderpool.controller.gc.PodTracer;
import io.spidernet.spiderpool.controller.coordinator.ClusterSources;
import io.spidernet.spiderpool.controller.coordinator.CoordinatorReconciler;
import io.spidernet.spiderpool.controller.multus.MultusConfigReconciler;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.spidernet.spiderpool.controller.subnet.ApplicationReconciler;
import io.spidernet.spiderpool.controller.subnet.Workloads;
import io.spidernet.spiderpool.core.subnet.AutoPoolWriter;
import io.spidernet.spiderpool.controller.subnet.Applications;
import io.spidernet.spiderpool.controller.subnet.SubnetReconciler;
import io.spidernet.spiderpool.controller.runtime.ControllerLoop;
import io.spidernet.spiderpool.controller.runtime.LeaderLoops;
import io.spidernet.spiderpool.controller.runtime.Leadership;
import io.spidernet.spiderpool.controller.status.PoolReconciler;
import io.spidernet.spiderpool.core.endpoint.Endpoints;
import io.spidernet.spiderpool.core.ippool.PoolMetrics;
import io.spidernet.spiderpool.core.ippool.PoolSnapshots;
import io.spidernet.spiderpool.core.ippool.PoolStore;
import io.spidernet.spiderpool.core.ippool.PoolWriters;
import io.spidernet.spiderpool.core.kube.Kube;
import io.spidernet.spiderpool.core.pod.Owners;
import io.spidernet.spiderpool.webhook.Admission;
import io.spidernet.spiderpool.webhook.rules.WebhookConfig;
import io.spidernet.spiderpool.webhook.tls.AutoCertificates;
import io.spidernet.spiderpool.webhook.tls.ProvidedCertificates;
import io.spidernet.spiderpool.webhook.tls.ServingCertificates;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller process's parts, started in order: API client, admission webhooks (every replica),
 * the informer caches, then the leader election; the reconcilers (pool status, finalizers, IP GC)
 * run on the leader only and stop writing when it loses the lease. Probes and metrics last.
 */
public final class ControllerApp {
  private static final Logger LOG = LoggerFactory.getLogger(ControllerApp.class);
  /** Worker threads for fabric8's blocking DSL (informer starts, GC reads, Secret and status writes). */
  static final int API_WORKERS = 16;
  /**
   * How soon a pool writer (and its parsed records, ~400 KiB for 1 000 records) the controller no
   * longer uses is dropped: a GC scan writes pool after pool, and kept for minutes, as an agent keeps
   * them, the writers of 100 pools held 40 MiB more heap during a scan (bench-gc).
   */
  static final Duration WRITER_EVICTION = Duration.ofSeconds(2);

  private final Kube kube;
  private final Admission admission;
  private final Finalizers finalizers;
  private final GcCaches gcCaches;
  private final Workloads workloads;
  private final List<SharedIndexInformer<?>> watched;
  private final LeaderLoops loops;
  private final GcLoop gc;
  private final Leadership leadership;
  private final List<HttpServer> servers;

  private ControllerApp(Kube kube, Admission admission, Finalizers finalizers, GcCaches gcCaches, Workloads workloads,
      List<SharedIndexInformer<?>> watched, LeaderLoops loops, GcLoop gc, Leadership leadership, List<HttpServer> servers) {
    this.kube = kube;
    this.admission = admission;
    this.finalizers = finalizers;
    this.gcCaches = gcCaches;
    this.workloads = workloads;
    this.watched = watched;
    this.loops = loops;
    this.gc = gc;
    this.leadership = leadership;
    this.servers = servers;
  }

  /** Starts everything; the future fails naming what could not start. Callable from any thread. */
  public static Future<ControllerApp> start(Vertx vertx, Settings settings, WebhookConfig config, ControllerConfig controllerConfig) {
    Kube kube = Kube.connect(vertx, "spiderpool-controller-api", API_WORKERS);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Admission.Options options = new Admission.Options(settings.get(ControllerSettings.WEBHOOK_HOST),
        settings.get(ControllerSettings.WEBHOOK_PORT), config, certificates(vertx, kube, settings),
        settings.get(ControllerSettings.WEBHOOK_CERT_CHECK_PERIOD));
    return Admission.start(vertx, kube, options)
        .recover(e -> Future.failedFuture(new IllegalStateException("admission webhooks: " + e.getMessage(), e)))
        .compose(admission -> GcCaches.start(kube).compose(gcCaches -> (config.enableSpiderSubnet()
            && controllerConfig.enableAutoPoolForApplication() ? Workloads.start(kube) : Future.<Workloads>succeededFuture())
            .compose(workloads -> {
          Holder leading = new Holder();
          return Finalizers.start(kube, admission.cache(), leading::leading).compose(finalizers -> {
            PoolWriters writers = new PoolWriters(vertx, PoolStore.of(kube), new ControllerPools(admission.cache().poolInformer()),
                new PoolSnapshots(), new PoolMetrics(registry), settings.get(ProcessSettings.IPPOOL_MAX_ALLOCATED_IPS), false);
            // The controller writes in bursts: a pool's parsed records go soon after its last write.
            writers.evictPeriodically(Duration.ofSeconds(1), WRITER_EVICTION);
            Events events = new Events(kube, "spiderpool-controller");
            LeaderLoops loops = new LeaderLoops();
            loops.add(new ControllerLoop(vertx, new PoolReconciler(kube,
                name -> admission.cache().poolInformer().getStore().getByKey(name), writers, events, registry),
                settings.get(ControllerSettings.IPPOOL_WORKERS), registry), admission.cache().poolInformer());
            if (settings.get(ControllerSettings.MULTUS_CONFIG_ENABLED)) {
              ControllerLoop multus = loops.add(new ControllerLoop(vertx, new MultusConfigReconciler(kube,
                  key -> admission.cache().multusConfigInformer().getStore().getByKey(key), admission.cache()::nad, events), 1, registry),
                  admission.cache().multusConfigInformer());
              loops.feed(multus, admission.cache().nadInformer(), MultusConfigReconciler::keysOf);
            }
            if (config.enableSpiderSubnet()) {
              ControllerLoop subnets = loops.add(new ControllerLoop(vertx, new SubnetReconciler(kube,
                  name -> admission.cache().subnetInformer().getStore().getByKey(name),
                  () -> admission.cache().poolInformer().getStore().list(), new Applications(kube.client()), events),
                  settings.get(ControllerSettings.SUBNET_WORKERS), registry), admission.cache().subnetInformer());
              loops.feed(subnets, admission.cache().poolInformer(),
                  pool -> SubnetReconciler.keysOf(pool, admission.cache().subnetInformer().getStore().list()));
              if (workloads != null) {
                AutoPoolWriter autoPools = new AutoPoolWriter(kube.client(), writers::reserved, admission.cache()::admitted);
                List<LeaderLoops.Source<?>> sources = new ArrayList<>();
                workloads.informers().values().forEach(i -> sources.add(workloadSource(i)));
                sources.add(new LeaderLoops.Source<>(admission.cache().poolInformer(), ApplicationReconciler::keysOf));
                loops.add(new ControllerLoop(vertx, new ApplicationReconciler(kube, workloads::get,
                    () -> admission.cache().poolInformer().getStore().list(), autoPools, events, config.enableIPv4(),
                    config.enableIPv6(), controllerConfig.autoPoolDefaultRedundancy(), new Applications(kube.client())),
                    settings.get(ControllerSettings.APPLICATION_WORKERS), registry), sources);
              }
            }
            List<SharedIndexInformer<?>> watched = new CopyOnWriteArrayList<>();
            if (settings.get(ControllerSettings.COORDINATOR_ENABLED)) {
              String coordinator = settings.get(ControllerSettings.COORDINATOR_DEFAULT_NAME);
              ClusterSources sources = new ClusterSources(kube.client(), Path.of(settings.get(ControllerSettings.CNI_CONFIG_DIR)),
                  settings.get(ControllerSettings.CILIUM_CONFIGMAP));
              ControllerLoop coordinatorLoop = loops.add(new ControllerLoop(vertx, new CoordinatorReconciler(kube, coordinator,
                  key -> finalizers.coordinatorInformer().getStore().getByKey(key), sources,
                  events, Duration.ofSeconds(settings.get(ControllerSettings.COORDINATOR_RESYNC))), 1, registry),
                  finalizers.coordinatorInformer());
              // A change to any source the status is read from calls for a new read (the periodic one stays as a backstop).
              kube.callUnbounded(() -> {
                for (SharedIndexInformer<?> informer : sources.informers()) {
                  feedAll(loops, coordinatorLoop, informer, coordinator);
                  watched.add(informer);
                  informer.start();
                }
                return null;
              }).onFailure(e -> LOG.warn("the coordinator's sources are not watched, only read every {} s: {}",
                  settings.get(ControllerSettings.COORDINATOR_RESYNC), e.getMessage()));
            }
            GcScan scan = new GcScan(kube, () -> admission.cache().poolInformer().getStore().list(), gcCaches, writers,
                new Endpoints(kube), new Owners(kube), events, gcSettings(settings, controllerConfig), leading::leading, registry);
            GcLoop gc = new GcLoop(vertx, scan, settings.get(ControllerSettings.GC_DEFAULT_INTERVAL));
            boolean gcOn = settings.get(ControllerSettings.GC_IP_ENABLED);
            if (gcOn) {
              gcCaches.podInformer().addEventHandler(new PodTracer(vertx, gc::scanSoon, settings.get(ControllerSettings.GC_ADDITIONAL_GRACE_DELAY),
                  leading::leading));
            }
            Leadership leadership = Leadership.campaign(kube.client(), settings.get(ProcessSettings.POD_NAMESPACE),
                settings.get(ProcessSettings.POD_NAME), timing(settings), () -> {
                  leading.on = true;
                  loops.start();
                  finalizers.resync();
                  if (gcOn) {
                    gc.start();
                  }
                }, () -> {
                  leading.on = false;
                  loops.stop();
                  gc.stop();
                });
            List<HttpServer> servers = new ArrayList<>();
            return serveProbes(vertx, settings, admission).andThen(ar -> add(servers, ar.result()))
                .compose(h -> settings.get(ProcessSettings.ENABLED_METRIC)
                    ? MetricsServer.start(vertx, settings.get(ControllerSettings.METRIC_HTTP_PORT), registry)
                        .andThen(ar -> add(servers, ar.result()))
                    : Future.succeededFuture())
                .map(x -> new ControllerApp(kube, admission, finalizers, gcCaches, workloads, watched, loops, gc, leadership, servers))
                .onFailure(e -> {
                  leadership.close();
                  finalizers.close();
                  servers.forEach(HttpServer::close);
                });
          }).onFailure(e -> {
            gcCaches.close();
            if (workloads != null) {
              workloads.close();
            }
          });
        })).recover(e -> admission.close().transform(x -> Future.failedFuture(e))))
        .onFailure(e -> kube.close());
  }

  /** Every event of {@code informer} enqueues {@code key} into {@code loop}. */
  private static <T> void feedAll(LeaderLoops loops, ControllerLoop loop, SharedIndexInformer<T> informer, String key) {
    loops.feed(loop, informer, o -> List.of(key));
  }

  @SuppressWarnings("unchecked")
  private static LeaderLoops.Source<?> workloadSource(SharedIndexInformer<? extends HasMetadata> informer) {
    return new LeaderLoops.Source<>((SharedIndexInformer<HasMetadata>) informer, o -> List.of(Workloads.key(o)));
  }

  /** Whether this replica leads, shared by the parts that must not write otherwise. */
  private static final class Holder {
    volatile boolean on;

    boolean leading() {
      return on;
    }
  }

  private static void add(List<HttpServer> servers, HttpServer server) {
    if (server != null) {
      servers.add(server);
    }
  }

  static GcSettings gcSettings(Settings settings, ControllerConfig config) {
    return new GcSettings(settings.get(ControllerSettings.GC_TERMINATING_ON_READY_NODE),
        settings.get(ControllerSettings.GC_TERMINATING_ON_NOT_READY_NODE), settings.get(ControllerSettings.GC_RUNNING_POD_ON_EMPTY_IPS),
        settings.get(ControllerSettings.GC_ADDITIONAL_GRACE_DELAY), settings.get(ControllerSettings.GC_DRY_RUN),
        config.enableStatefulSet(), config.enableKubevirtStaticIP());
  }

  static Leadership.Timing timing(Settings settings) {
    return new Leadership.Timing(Duration.ofSeconds(settings.get(ControllerSettings.LEADER_DURATION)),
        Duration.ofSeconds(settings.get(ControllerSettings.LEADER_RENEW_DEADLINE)),
        Duration.ofSeconds(settings.get(ControllerSettings.LEADER_RETRY_PERIOD)));
  }

  private static Future<HttpServer> serveProbes(Vertx vertx, Settings settings, Admission admission) {
    int port = settings.get(ControllerSettings.HEALTH_PORT);
    HealthServer.Probes probes = new HealthServer.Probes(
        Future::succeededFuture,
        () -> admission.ready() ? Future.succeededFuture() : Future.failedFuture("informer caches not synced"),
        Future::succeededFuture);
    return HealthServer.start(vertx, "0.0.0.0", port, probes)
        .recover(e -> Future.failedFuture(new IllegalStateException("cannot serve probes on :" + port + ": " + e.getMessage(), e)));
  }

  static ServingCertificates certificates(Vertx vertx, Kube kube, Settings settings) {
    if (settings.get(ControllerSettings.WEBHOOK_TLS_METHOD) != ControllerSettings.TlsMethod.AUTO) {
      return new ProvidedCertificates(vertx, Path.of(settings.get(ControllerSettings.WEBHOOK_TLS_DIR)));
    }
    List<String> hosts = Arrays.stream(settings.get(ControllerSettings.WEBHOOK_EXTRA_HOSTS).split(","))
        .map(String::trim).filter(h -> !h.isEmpty()).toList();
    return new AutoCertificates(kube, new AutoCertificates.Settings(settings.get(ProcessSettings.POD_NAMESPACE),
        settings.get(ControllerSettings.WEBHOOK_SECRET_NAME), settings.get(ControllerSettings.WEBHOOK_SERVICE_NAME),
        settings.get(ControllerSettings.WEBHOOK_CONFIGURATION_NAME), hosts, settings.get(ControllerSettings.WEBHOOK_CA_VALIDITY),
        settings.get(ControllerSettings.WEBHOOK_CERT_VALIDITY), settings.get(ControllerSettings.WEBHOOK_CERT_CHECK_PERIOD)));
  }

  public Admission admission() {
    return admission;
  }

  public int healthPort() {
    return servers.get(0).actualPort();
  }

  public boolean leading() {
    return leadership.leading();
  }

  /** The GC loop (tests ask it for a scan and read its last result). */
  public GcLoop gc() {
    return gc;
  }

  public Future<Void> close() {
    loops.stop();
    gc.stop();
    leadership.close();
    List<Future<Void>> closing = new ArrayList<>();
    servers.forEach(s -> closing.add(s.close()));
    return Future.join(closing).eventually(admission::close).<Void>mapEmpty().onComplete(x -> {
      finalizers.close();
      gcCaches.close();
      if (workloads != null) {
        workloads.close();
      }
      watched.forEach(SharedIndexInformer::close);
      kube.close();
    });
  }
}
