package io.spidernet.spiderpool.controller;

import io.spidernet.spiderpool.common.config.ProcessSettings;
import io.spidernet.spiderpool.common.config.Settings;
import io.spidernet.spiderpool.common.http.HealthServer;
import io.spidernet.spiderpool.controller.finalizer.Finalizers;
import io.spidernet.spiderpool.core.kube.Kube;
import io.spidernet.spiderpool.webhook.Admission;
import io.spidernet.spiderpool.webhook.rules.WebhookConfig;
import io.spidernet.spiderpool.webhook.tls.AutoCertificates;
import io.spidernet.spiderpool.webhook.tls.ProvidedCertificates;
import io.spidernet.spiderpool.webhook.tls.ServingCertificates;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The controller process's parts, started in order: API client, admission webhooks, probes. */
public final class ControllerApp {
  /** Worker threads for fabric8's blocking DSL (informer starts, Secret and configuration writes). */
  static final int API_WORKERS = 4;

  private final Kube kube;
  private final Admission admission;
  private final Finalizers finalizers;
  private final HttpServer health;

  private ControllerApp(Kube kube, Admission admission, Finalizers finalizers, HttpServer health) {
    this.kube = kube;
    this.admission = admission;
    this.finalizers = finalizers;
    this.health = health;
  }

  /** Starts everything; the future fails naming what could not start. Callable from any thread. */
  public static Future<ControllerApp> start(Vertx vertx, Settings settings, WebhookConfig config) {
    Kube kube = Kube.connect(vertx, "spiderpool-controller-api", API_WORKERS);
    Admission.Options options = new Admission.Options(settings.get(ControllerSettings.WEBHOOK_HOST),
        settings.get(ControllerSettings.WEBHOOK_PORT), config, certificates(vertx, kube, settings),
        settings.get(ControllerSettings.WEBHOOK_CERT_CHECK_PERIOD));
    return Admission.start(vertx, kube, options)
        .recover(e -> Future.failedFuture(new IllegalStateException("admission webhooks: " + e.getMessage(), e)))
        .compose(admission -> Finalizers.start(kube, admission.cache())
            .compose(finalizers -> serveProbes(vertx, settings, admission)
                .map(health -> new ControllerApp(kube, admission, finalizers, health))
                .onFailure(e -> finalizers.close()))
            .recover(e -> admission.close().transform(x -> Future.failedFuture(e))))
        .onFailure(e -> kube.close());
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
    return health.actualPort();
  }

  public Future<Void> close() {
    return health.close().eventually(admission::close).onComplete(x -> {
      finalizers.close();
      kube.close();
    });
  }
}
