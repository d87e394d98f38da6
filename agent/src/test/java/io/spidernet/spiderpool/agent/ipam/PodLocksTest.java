package io.spidernet.spiderpool.agent.ipam;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PodLocksTest {
  @Test
  void theCallersWorkRunsOutsideAnySharedLock() throws Exception {
    PodLocks locks = new PodLocks();
    // While pod A's work runs, another thread queues work for pod B: it must not wait for A's.
    Future<Boolean> a = locks.run("uid-a", () -> {
      CompletableFuture<Void> other = CompletableFuture.runAsync(() -> locks.run("uid-b", () -> Future.succeededFuture("b")));
      try {
        other.get(2, TimeUnit.SECONDS);
        return Future.succeededFuture(true);
      } catch (Exception e) {
        return Future.succeededFuture(false);
      }
    });
    assertThat(a.result()).as("pod B's request was not blocked by pod A's work").isTrue();
  }

  @Test
  void requestsOfOneKeyRunOneAtATimeInOrder() {
    PodLocks locks = new PodLocks();
    List<String> order = new ArrayList<>();
    Promise<Void> first = Promise.promise();
    locks.run("uid", () -> {
      order.add("first starts");
      return first.future();
    });
    locks.run("uid", () -> {
      order.add("second starts");
      return Future.succeededFuture();
    });
    assertThat(order).containsExactly("first starts");
    first.complete();
    assertThat(order).containsExactly("first starts", "second starts");
    assertThat(locks.size()).as("nothing is left queued").isZero();
  }
}
