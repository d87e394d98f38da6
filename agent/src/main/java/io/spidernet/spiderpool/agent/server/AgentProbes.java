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
import java.util.function.Supplier;

/**
 * The agent's probes, each saying what it checked: startup passes once the IPAM socket is open;
 * readiness while the socket accepts a connection, the caches are synced and the API worker pool
 * runs a task within {@link #LIVENESS_DEADLINE} (a pool wedged by hung calls would fail every ADD);
 * liveness while every event loop
 * runs a task within {@link #LIVENESS_DEADLINE} (a wedged loop, which would leave the socket
 * connections it serves unanswered, fails it). Called on the probe server's event loop; never
 * blocks.
 */
public final class AgentProbes {
  static final Duration LIVENESS_DEADLINE = Duration.ofSeconds(2);

  private AgentProbes() {}

  /**
   * @param socketOpen whether the IPAM socket was opened
   * @param socketAccepts connects to the socket and completes when it accepted
   * @param synced whether the informer caches have synced
   * @param workersRun runs a no-op on the API worker pool
   */
  public static HealthServer.Probes of(BooleanSupplier socketOpen, Supplier<Future<?>> socketAccepts,
      BooleanSupplier synced, Supplier<Future<?>> workersRun, Vertx vertx) {
    return new HealthServer.Probes(
        () -> socketOpen.getAsBoolean() ? Future.succeededFuture()
            : Future.failedFuture("the IPAM socket is not open yet"),
        () -> !socketOpen.getAsBoolean() ? Future.failedFuture("the IPAM socket is not open")
            : !synced.getAsBoolean() ? Future.failedFuture("Kubernetes caches not synced")
            : within(socketAccepts.get(), "the IPAM socket did not accept a connection")
                .compose(v -> within(workersRun.get(), "the API worker pool did not run a task (all its threads busy)")),
        () -> eventLoopsAnswer(vertx));
  }

  private static Future<?> within(Future<?> check, String failure) {
    return check.timeout(LIVENESS_DEADLINE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
        .recover(e -> Future.failedFuture(failure + " within " + LIVENESS_DEADLINE.toMillis() + " ms"));
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
