package io.spidernet.spiderpool.common.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/**
 * Kubernetes probes on a TCP port: {@code GET /v1/runtime/startup|readiness|liveness} answer 200
 * when the check succeeds and 500 with the reason (a JSON string, as Spiderpool's Error model)
 * when it fails. Checks run on the event loop and must not block.
 */
public final class HealthServer {
  /** The three checks; each completes successfully when the process is in that state. */
  public record Probes(Supplier<Future<?>> startup, Supplier<Future<?>> readiness, Supplier<Future<?>> liveness) {}

  private HealthServer() {}

  public static Future<HttpServer> start(Vertx vertx, String host, int port, Probes probes) {
    Router router = Router.router(vertx);
    router.get("/v1/runtime/startup").handler(ctx -> answer(ctx, probes.startup()));
    router.get("/v1/runtime/readiness").handler(ctx -> answer(ctx, probes.readiness()));
    router.get("/v1/runtime/liveness").handler(ctx -> answer(ctx, probes.liveness()));
    return vertx.createHttpServer().requestHandler(router).listen(port, host);
  }

  private static void answer(RoutingContext ctx, Supplier<Future<?>> check) {
    Future<?> result;
    try {
      result = check.get();
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(ar -> {
      if (ar.succeeded()) {
        ctx.response().setStatusCode(200).end();
      } else {
        ctx.response().setStatusCode(500).putHeader("content-type", "application/json")
            .end(Json.encode(String.valueOf(ar.cause().getMessage())));
      }
    });
  }
}
