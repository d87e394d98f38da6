package io.spidernet.spiderpool.webhook;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.spidernet.spiderpool.core.kube.Kube;
import io.spidernet.spiderpool.webhook.cache.AdmissionCache;
import io.spidernet.spiderpool.webhook.review.ObjectTrees;
import io.spidernet.spiderpool.webhook.review.ReviewCodec;
import io.spidernet.spiderpool.webhook.rules.CoordinatorWebhook;
import io.spidernet.spiderpool.webhook.rules.KindWebhook;
import io.spidernet.spiderpool.webhook.rules.MultusConfigWebhook;
import io.spidernet.spiderpool.webhook.rules.PodWebhook;
import io.spidernet.spiderpool.webhook.rules.PoolWebhook;
import io.spidernet.spiderpool.webhook.rules.ReservedIPWebhook;
import io.spidernet.spiderpool.webhook.rules.SubnetWebhook;
import io.spidernet.spiderpool.webhook.rules.WebhookConfig;
import io.spidernet.spiderpool.webhook.server.ServingCertificate;
import io.spidernet.spiderpool.webhook.server.WebhookServer;
import io.spidernet.spiderpool.webhook.tls.ServingCertificates;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admission as the controller runs it: the cluster view, the webhooks of every kind, the HTTPS
 * server, and a periodic certificate check that serves a renewed certificate without a restart.
 */
public final class Admission {
  private static final Logger LOG = LoggerFactory.getLogger(Admission.class);

  private final Vertx vertx;
  private final AdmissionCache cache;
  private final WebhookServer server;
  private final ServingCertificates certificates;
  private final long timer;
  private volatile ServingCertificate served;

  /**
   * @param host the address to listen on
   * @param port the HTTPS port (0 picks one)
   * @param checkEvery how often the certificate is checked for renewal
   */
  public record Options(String host, int port, WebhookConfig config, ServingCertificates certificates, Duration checkEvery) {}

  private Admission(Vertx vertx, AdmissionCache cache, WebhookServer server, ServingCertificates certificates,
      ServingCertificate served, Duration checkEvery) {
    this.vertx = vertx;
    this.cache = cache;
    this.server = server;
    this.certificates = certificates;
    this.served = served;
    this.timer = vertx.setPeriodic(checkEvery.toMillis(), id -> refresh());
  }

  /** Syncs the caches, gets the certificate, and serves. Callable from an event loop. */
  public static Future<Admission> start(Vertx vertx, Kube kube, Options options) {
    KubernetesSerialization serialization = kube.client().getKubernetesSerialization();
    ObjectTrees trees = new ObjectTrees(serialization);
    WebhookConfig config = options.config();
    return AdmissionCache.start(kube, config.podResourceInject().enabled()).compose(cache -> {
      List<KindWebhook> webhooks = new ArrayList<>(List.of(
          new PoolWebhook(config, cache, trees), new SubnetWebhook(config, cache, trees),
          new ReservedIPWebhook(config, trees), new CoordinatorWebhook(trees), new MultusConfigWebhook(cache, trees)));
      if (config.podResourceInject().enabled()) {
        webhooks.add(new PodWebhook(cache));
      }
      return options.certificates().current()
          .compose(cert -> WebhookServer.start(vertx, options.host(), options.port(), cert, new ReviewCodec(serialization), webhooks)
              .map(server -> new Admission(vertx, cache, server, options.certificates(), cert, options.checkEvery())))
          .onFailure(e -> cache.close());
    });
  }

  public int port() {
    return server.actualPort();
  }

  /** The informer caches the webhooks read; other parts of the process share its informers. */
  public AdmissionCache cache() {
    return cache;
  }

  /** Caches synced (the server listens once started). */
  public boolean ready() {
    return cache.synced();
  }

  /** Checks the certificate now; serves it when it changed. */
  public Future<Boolean> refresh() {
    return certificates.current().compose(cert -> {
      if (cert.equals(served)) {
        return Future.succeededFuture(false);
      }
      return server.updateCertificate(cert).onSuccess(taken -> {
        if (taken) {
          served = cert;
          LOG.info("serving the renewed webhook certificate");
        }
      });
    }).onFailure(e -> LOG.warn("webhook certificate check failed (the current one is still served): {}", e.getMessage()));
  }

  public Future<Void> close() {
    vertx.cancelTimer(timer);
    cache.close();
    return server.close();
  }
}
