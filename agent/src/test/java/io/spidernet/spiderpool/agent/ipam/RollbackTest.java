package io.spidernet.spiderpool.agent.ipam;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spidernet.spiderpool.agent.metrics.IpamMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Undoing a failed ADD is never swallowed: it is retried, and what cannot be undone is counted. */
class RollbackTest {
  final Vertx vertx = Vertx.vertx();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final Rollback rollback = new Rollback(vertx, new IpamMetrics(registry), new long[] {10, 10, 10});

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  double failuresLeftForGc() {
    return registry.get("spiderpool_ipam_rollback_failures").counter().count();
  }

  @Test
  void aFailingUndoIsRetriedUntilItSucceeds() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    rollback.run("the records of pod ns/a", () -> attempts.incrementAndGet() < 3
        ? Future.failedFuture("API server unreachable") : Future.succeededFuture())
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(attempts).hasValue(3);
    assertThat(failuresLeftForGc()).isZero();
  }

  @Test
  void anUndoThatKeepsFailingIsCountedAndLeftForGc() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    rollback.run("the records of pod ns/a", () -> {
      attempts.incrementAndGet();
      throw new IllegalStateException("a bug in the undo");
    }).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(attempts).as("the first try and three retries").hasValue(4);
    assertThat(failuresLeftForGc()).isEqualTo(1);
  }
}
