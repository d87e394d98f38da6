package io.spidernet.spiderpool.common.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;

/** The Prometheus scrape endpoint: only {@code GET /metrics}, everything else 404. */
public final class MetricsServer {
  private MetricsServer() {}

  public static Future<HttpServer> start(Vertx vertx, int port, PrometheusMeterRegistry registry) {
    return vertx.createHttpServer()
        .requestHandler(req -> {
          if (req.method() == HttpMethod.GET && "/metrics".equals(req.path())) {
            req.response().putHeader("content-type", "text/plain; version=0.0.4").end(registry.scrape());
          } else {
            req.response().setStatusCode(404).putHeader("content-type", "text/plain").end("only GET /metrics is served here\n");
          }
        })
        .listen(port, "0.0.0.0");
  }
}
