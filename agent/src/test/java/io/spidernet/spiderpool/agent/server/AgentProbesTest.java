package io.spidernet.spiderpool.agent.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.spidernet.spiderpool.common.http.HealthServer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Probes that can fail: each reflects the socket, the caches and the event loops. */
class AgentProbesTest {
  final Vertx vertx = Vertx.vertx();

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static Throwable failure(Future<?> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().handle((v, e) -> e).get(10, TimeUnit.SECONDS);
  }

  @Test
  void startupAndReadinessFollowTheSocketTheCachesAndTheWorkers() throws Exception {
    AtomicBoolean open = new AtomicBoolean();
    AtomicBoolean synced = new AtomicBoolean();
    AtomicBoolean accepts = new AtomicBoolean(true);
    AtomicBoolean workersFree = new AtomicBoolean(true);
    HealthServer.Probes probes = AgentProbes.of(open::get,
        () -> accepts.get() ? Future.succeededFuture() : Future.failedFuture("refused"), synced::get,
        () -> workersFree.get() ? Future.succeededFuture() : Promise.promise().future(), vertx);
    assertThat(failure(probes.startup().get())).hasMessageContaining("socket is not open");
    assertThat(failure(probes.readiness().get())).hasMessageContaining("socket is not open");
    open.set(true);
    assertThat(failure(probes.startup().get())).isNull();
    assertThat(failure(probes.readiness().get())).hasMessageContaining("caches not synced");
    synced.set(true);
    assertThat(failure(probes.readiness().get())).isNull();
    accepts.set(false);
    assertThat(failure(probes.readiness().get())).hasMessageContaining("socket did not accept a connection");
    accepts.set(true);
    workersFree.set(false);
    assertThat(failure(probes.readiness().get())).hasMessageContaining("API worker pool did not run a task");
  }

  @Test
  void livenessFailsWhileAnEventLoopIsWedged() throws Exception {
    Context loop = vertx.getOrCreateContext();
    HealthServer.Probes probes = AgentProbes.of(() -> true, Future::succeededFuture, () -> true,
        Future::succeededFuture, vertx);
    assertThat(failure(probes.liveness().get())).as("free loops answer").isNull();
    loop.runOnContext(v -> {
      try {
        Thread.sleep(3000); // a handler that blocks its event loop
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    assertThat(failure(probes.liveness().get())).hasMessageContaining("did not run a task within 2000 ms");
  }
}
