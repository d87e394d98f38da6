package io.spidernet.spiderpool.agent.server;

import io.netty.util.concurrent.EventExecutor;
import io.spidernet.spiderpool.common.http.HealthServer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The agent's probes, each saying what it checked: startup passes once the IPAM socket is open;
 * readiness while the socket is open and the caches are synced; liveness while every event loop
 * runs a task within {@link #LIVENESS_DEADLINE} (a wedged loop, which would leave the socket
 * connections it serves unanswered, fails it). Called on the probe server's event loop; never
 * blocks.
 */
public final class AgentProbes {
  static final Duration LIVENESS_DEADLINE = Duration.ofSeconds(2);

  private AgentProbes() {}

  /**
   * @param socketOpen whether the IPAM socket accepts
   * @param synced whether the informer caches have synced
   */
  public static HealthServer.Probes of(BooleanSupplier socketOpen, BooleanSupplier synced, Vertx vertx) {
    return new HealthServer.Probes(
        () -> socketOpen.getAsBoolean() ? Future.succeededFuture()
            : Future.failedFuture("the IPAM socket is not open yet"),
        () -> !socketOpen.getAsBoolean() ? Future.failedFuture("the IPAM socket is not open")
            : !synced.getAsBoolean() ? Future.failedFuture("Kubernetes caches not synced")
            : Future.succeededFuture(),
        () -> eventLoopsAnswer(vertx));
  }

  private static Future<?> eventLoopsAnswer(Vertx vertx) {
    List<Future<Void>> answers = new ArrayList<>();
    int index = 0;
    for (EventExecutor loop : ((VertxInternal) vertx).nettyEventLoopGroup()) {
      int which = index++;
      Promise<Void> answered = Promise.promise();
      loop.execute(answered::tryComplete);
      answers.add(answered.future().timeout(LIVENESS_DEADLINE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
          .recover(e -> Future.failedFuture("event loop " + which + " did not run a task within "
              + LIVENESS_DEADLINE.toMillis() + " ms")));
    }
    return Future.all(answers);
  }
}
