package io.spidernet.spiderpool.agent.server;

import io.spidernet.spiderpool.common.http.HealthServer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The agent's probes, each saying what it checked: startup passes once the IPAM socket is open;
 * readiness while the socket is open and the caches are synced; liveness while the socket server's
 * event loop runs a task within {@link #LIVENESS_DEADLINE} (a wedged loop fails it). Called on the
 * probe server's event loop; never blocks.
 */
public final class AgentProbes {
  static final Duration LIVENESS_DEADLINE = Duration.ofSeconds(2);

  private AgentProbes() {}

  /**
   * @param socketOpen whether the IPAM socket accepts
   * @param synced whether the informer caches have synced
   * @param socketLoop the context of the socket server, once it listens (null before)
   */
  public static HealthServer.Probes of(BooleanSupplier socketOpen, BooleanSupplier synced, Supplier<Context> socketLoop) {
    return new HealthServer.Probes(
        () -> socketOpen.getAsBoolean() ? Future.succeededFuture()
            : Future.failedFuture("the IPAM socket is not open yet"),
        () -> !socketOpen.getAsBoolean() ? Future.failedFuture("the IPAM socket is not open")
            : !synced.getAsBoolean() ? Future.failedFuture("Kubernetes caches not synced")
            : Future.succeededFuture(),
        () -> eventLoopAnswers(socketLoop.get()));
  }

  private static Future<?> eventLoopAnswers(Context loop) {
    if (loop == null) {
      return Future.succeededFuture(); // still starting: the startup probe covers it
    }
    Promise<Void> answered = Promise.promise();
    long timer = loop.owner().setTimer(LIVENESS_DEADLINE.toMillis(), t -> answered.tryFail(
        "the IPAM socket's event loop did not run a task within " + LIVENESS_DEADLINE.toMillis() + " ms"));
    loop.runOnContext(v -> {
      loop.owner().cancelTimer(timer);
      answered.tryComplete();
    });
    return answered.future();
  }
}
