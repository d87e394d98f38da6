package io.spidernet.spiderpool.core.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class KubeTest {
  @Test
  void aCallPassesItsResultAndItsFailureThrough() throws Exception {
    System.setProperty("kubernetes.master", "https://127.0.0.1:1");
    Vertx vertx = Vertx.vertx();
    try (Kube kube = Kube.connect(vertx, "kube-test", 2)) {
      assertThat(kube.call(() -> "answer").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS))
          .isEqualTo("answer");
      Throwable failure = kube.call(() -> {
        throw new IllegalStateException("the API server said no");
      }).toCompletionStage().toCompletableFuture().handle((v, e) -> e).get(10, TimeUnit.SECONDS);
      assertThat(failure).isNotNull();
      assertThat(failure.getMessage()).contains("the API server said no");
    } finally {
      System.clearProperty("kubernetes.master");
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
