package io.spidernet.spiderpool.agent.warmup;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

class ClientWarmupTest {
  @Test
  void theAgentsApiWritesRunAgainstTheEchoServer() throws Exception {
    // The warm-up is best effort and logs a failure instead of throwing: rounds > 0 is the proof
    // that fabric8 accepts the echo server's answers to both writes.
    Vertx vertx = Vertx.vertx();
    try {
      int rounds = vertx.executeBlocking(() -> ClientWarmup.run(vertx, 300)).toCompletionStage().toCompletableFuture().get();
      assertThat(rounds).isPositive();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }
}
