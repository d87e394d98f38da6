package io.spidernet.spiderpool.core.ippool;

import java.util.List;

import io.spidernet.spiderpool.api.v2beta1.SpiderReservedIP;

import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spidernet.spiderpool.core.ippool.PoolOutcome.Allocated;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PoolWritersTest {
  @Test
  void idleWritersAreDroppedAndANewOneStartsFromTheServer() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      ScriptedPoolStore store = new ScriptedPoolStore(vertx, "p", "10.0.0.0/24", "10.0.0.1-10.0.0.9");
      PoolWriters writers = new PoolWriters(vertx, store, PoolWriterTest.NO_CACHE, new PoolSnapshots(),
          new PoolMetrics(new SimpleMeterRegistry()), 5000, true);
      assertThat(PoolWriterTest.await(writers.of("p").submit(new PoolRequest.Allocate("ns/a", "ua"))))
          .isEqualTo(new Allocated("10.0.0.1", true));
      writers.evict(Duration.ofMinutes(5));
      Thread.sleep(100);
      assertThat(writers.size()).as("a writer used a moment ago stays").isEqualTo(1);

      writers.evict(Duration.ZERO);
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (writers.size() > 0 && System.nanoTime() < until) {
        Thread.sleep(10);
      }
      assertThat(writers.size()).as("an idle writer is dropped").isZero();
      assertThat(PoolWriterTest.await(writers.of("p").submit(new PoolRequest.Allocate("ns/b", "ub"))))
          .as("a new writer reads the pool and sees the first record").isEqualTo(new Allocated("10.0.0.2", true));
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void theControllerKeepsNoParsedPoolItDoesNotWrite() throws Exception {
    for (boolean agent : new boolean[] {true, false}) {
      Vertx vertx = Vertx.vertx();
      try {
        ScriptedPoolStore store = new ScriptedPoolStore(vertx, "p", "10.0.0.0/24", "10.0.0.1-10.0.0.9");
        PoolCache cached = new PoolCache() {
          @Override
          public SpiderIPPool pool(String name) {
            return "p".equals(name) ? store.current() : null;
          }

          @Override
          public List<SpiderIPPool> pools() {
            return List.of(store.current());
          }

          @Override
          public List<SpiderReservedIP> reservedIPs() {
            return List.of();
          }
        };
        PoolSnapshots snapshots = new PoolSnapshots();
        PoolWriters writers = new PoolWriters(vertx, store, cached, snapshots, new PoolMetrics(new SimpleMeterRegistry()), 5000, agent);
        PoolWriterTest.await(writers.of("p").submit(new PoolRequest.Allocate("ns/a", "ua")));
        assertThat(snapshots.size()).isEqualTo(1);
        writers.evict(Duration.ZERO);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while ((writers.size() > 0 || snapshots.size() != (agent ? 1 : 0)) && System.nanoTime() < until) {
          Thread.sleep(10);
        }
        assertThat(writers.size()).isZero();
        assertThat(snapshots.size()).as(agent ? "the agent keeps the cached pool parsed" : "the controller keeps nothing")
            .isEqualTo(agent ? 1 : 0);
      } finally {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
    }
  }
}
