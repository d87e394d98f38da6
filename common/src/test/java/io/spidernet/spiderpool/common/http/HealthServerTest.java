package io.spidernet.spiderpool.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class HealthServerTest {
  @Test
  void answersEachProbeFromItsCheck(Vertx vertx, VertxTestContext ctx) {
    AtomicBoolean ready = new AtomicBoolean(false);
    HealthServer.Probes probes = new HealthServer.Probes(
        Future::succeededFuture,
        () -> ready.get() ? Future.succeededFuture() : Future.failedFuture("informer caches not synced"),
        () -> { throw new IllegalStateException("event loop stuck"); });
    HttpClient client = vertx.createHttpClient();
    HealthServer.start(vertx, "127.0.0.1", 0, probes)
        .compose(server -> get(client, server, "startup")
            .compose(startup -> {
              ctx.verify(() -> assertThat(startup).isEqualTo("200 "));
              return get(client, server, "readiness");
            })
            .compose(notReady -> {
              ctx.verify(() -> assertThat(notReady).isEqualTo("500 \"informer caches not synced\""));
              ready.set(true);
              return get(client, server, "readiness");
            })
            .compose(nowReady -> {
              ctx.verify(() -> assertThat(nowReady).isEqualTo("200 "));
              return get(client, server, "liveness");
            }))
        .onComplete(ctx.succeeding(liveness -> ctx.verify(() -> {
          assertThat(liveness).isEqualTo("500 \"event loop stuck\"");
          ctx.completeNow();
        })));
  }

  private static Future<String> get(HttpClient client, HttpServer server, String probe) {
    return client.request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/v1/runtime/" + probe)
        // body() inside the response's own callback: a later one can miss it (eclipse-vertx/vert.x#5904).
        .compose(req -> req.send()
            .compose((HttpClientResponse resp) -> resp.body().map((Buffer body) -> resp.statusCode() + " " + body)));
  }
}
