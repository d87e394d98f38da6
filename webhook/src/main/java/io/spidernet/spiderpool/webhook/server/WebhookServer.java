package io.spidernet.spiderpool.webhook.server;

import io.spidernet.spiderpool.webhook.review.FieldError;
import io.spidernet.spiderpool.webhook.review.Refusal;
import io.spidernet.spiderpool.webhook.review.ReviewCodec;
import io.spidernet.spiderpool.webhook.review.Verdict;
import io.spidernet.spiderpool.webhook.rules.KindWebhook;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.ServerSSLOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admission webhooks over HTTPS: Spiderpool's paths, AdmissionReview v1 in and out. One verticle
 * instance, so every review runs on the same event loop: a review's cross-object checks and the
 * recording of what it admitted happen without interleaving, and no lock is needed. Handlers read
 * caches only and never block.
 */
public final class WebhookServer {
  public static final String HEALTH_PATH = "/webhook-health-check";
  /** An AdmissionReview holds the object and the stored object; the API server's own limit is 3 MiB per object. */
  static final long MAX_BODY_BYTES = 8L * 1024 * 1024;
  private static final Logger LOG = LoggerFactory.getLogger(WebhookServer.class);

  private final Vertx vertx;
  private final String deploymentId;
  private final Verticle verticle;

  private WebhookServer(Vertx vertx, String deploymentId, Verticle verticle) {
    this.vertx = vertx;
    this.deploymentId = deploymentId;
    this.verticle = verticle;
  }

  /** Serves {@code webhooks} on {@code host:port} with {@code certificate}; completes once listening. */
  public static Future<WebhookServer> start(Vertx vertx, String host, int port, ServingCertificate certificate,
      ReviewCodec codec, List<KindWebhook> webhooks) {
    Verticle verticle = new Verticle(host, port, certificate, codec, webhooks);
    return vertx.deployVerticle(verticle).map(id -> new WebhookServer(vertx, id, verticle));
  }

  public int actualPort() {
    return verticle.server.actualPort();
  }

  /**
   * Serves {@code certificate} from now on, for new connections, without a restart. Completes with
   * whether the server took it (forced: Vert.x would otherwise keep options it considers equal).
   */
  public Future<Boolean> updateCertificate(ServingCertificate certificate) {
    return verticle.server.updateSSLOptions(new ServerSSLOptions().setKeyCertOptions(certificate.keyCertOptions()), true);
  }

  public Future<Void> close() {
    return vertx.undeploy(deploymentId);
  }

  private static final class Verticle extends VerticleBase {
    private final String host;
    private final int port;
    private final ServingCertificate certificate;
    private final ReviewCodec codec;
    private final List<KindWebhook> webhooks;
    private volatile HttpServer server;

    Verticle(String host, int port, ServingCertificate certificate, ReviewCodec codec, List<KindWebhook> webhooks) {
      this.host = host;
      this.port = port;
      this.certificate = certificate;
      this.codec = codec;
      this.webhooks = webhooks;
    }

    @Override
    public Future<?> start() {
      Router router = Router.router(vertx);
      router.get(HEALTH_PATH).handler(ctx -> ctx.response().putHeader("content-type", "text/plain").end("ok"));
      router.post().handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
      for (KindWebhook webhook : webhooks) {
        router.post(webhook.kind().path(true)).handler(ctx -> review(ctx, webhook, true));
        router.post(webhook.kind().path(false)).handler(ctx -> review(ctx, webhook, false));
      }
      router.route().last().handler(ctx -> problem(ctx, ctx.request().method().name().equals("POST") ? 404 : 405,
          "no webhook at " + FieldError.quote(ctx.normalizedPath()) + " for " + ctx.request().method().name()));
      router.errorHandler(413, ctx -> problem(ctx, 413, "the review is larger than " + MAX_BODY_BYTES + " bytes"));
      router.errorHandler(400, ctx -> problem(ctx, 400, "the request cannot be read"));
      HttpServerOptions options = new HttpServerOptions().setSsl(true).setUseAlpn(true)
          .setKeyCertOptions(certificate.keyCertOptions()).setIdleTimeout(120);
      if (OpenSSLEngineOptions.isAvailable()) {
        // BoringSSL (netty-tcnative): every pool write through the API server costs two TLS reviews.
        options.setSslEngineOptions(new OpenSSLEngineOptions());
      }
      return vertx.createHttpServer(options).requestHandler(router).listen(port, host).onSuccess(s -> server = s);
    }

    private void review(RoutingContext ctx, KindWebhook webhook, boolean mutate) {
      byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
      ReviewCodec.Decoded decoded;
      try {
        decoded = codec.decode(body, webhook.kind());
      } catch (ReviewCodec.Unanswerable e) {
        problem(ctx, 400, e.getMessage());
        return;
      }
      Verdict verdict;
      if (decoded.problem() != null) {
        verdict = Verdict.refused(decoded.problem());
      } else {
        try {
          verdict = mutate ? webhook.mutate(decoded.review()) : webhook.validate(decoded.review());
        } catch (RuntimeException e) {
          LOG.error("{} webhook of {} {} failed on {}", mutate ? "mutating" : "validating", webhook.kind().kind(),
              FieldError.quote(decoded.review().name()), decoded.review().operation(), e);
          verdict = mutate ? Verdict.ALLOWED : Verdict.refused(Refusal.internal("an internal error of spiderpool-controller ("
              + e.getClass().getSimpleName() + ") while validating " + webhook.kind().kind() + " "
              + FieldError.quote(decoded.review().name()) + "; its log has the details"));
        }
      }
      if (!verdict.allowed()) {
        LOG.info("refused {} of {} {}: {}", decoded.review().operation(), webhook.kind().kind(),
            FieldError.quote(decoded.review().name()), verdict.refusal().message());
      }
      ctx.response().putHeader("content-type", "application/json")
          .end(io.vertx.core.buffer.Buffer.buffer(codec.encode(decoded.review(), verdict)));
    }

    private static void problem(RoutingContext ctx, int status, String message) {
      if (ctx.response().ended()) {
        return;
      }
      ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
          .end(new JsonObject().put("code", status).put("message", message).encode());
    }
  }
}
