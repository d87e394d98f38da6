package io.spidernet.spiderpool.core.ippool;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.api.v2beta1.SpiderReservedIP;
import io.spidernet.spiderpool.core.IpamException;
import io.spidernet.spiderpool.core.ippool.PoolOutcome.Allocated;
import io.spidernet.spiderpool.core.ippool.ScriptedPoolStore.Step;
import io.spidernet.spiderpool.core.kube.RetryPolicy;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pool write path without a cluster: batching, the early-plan cap, conflicts, the retry budget
 * and failures, against an API server whose writes follow a script.
 */
class PoolWriterTest {
  static final PoolCache NO_CACHE = new PoolCache() {
    @Override
    public SpiderIPPool pool(String name) {
      return null;
    }

    @Override
    public List<SpiderIPPool> pools() {
      return List.of();
    }

    @Override
    public List<SpiderReservedIP> reservedIPs() {
      return List.of();
    }
  };

  Vertx vertx;
  Context context;
  PoolMetrics metrics;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
    metrics = new PoolMetrics(new SimpleMeterRegistry());
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  PoolWriter writer(ScriptedPoolStore store, RetryPolicy retries) {
    PoolSnapshots snapshots = new PoolSnapshots();
    return new PoolWriter("p", context, store, NO_CACHE, snapshots, new Blocklist(NO_CACHE, snapshots), metrics,
        retries, 5000);
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void requestsQueuedDuringAWriteShareTheNextWrite() throws Exception {
    ScriptedPoolStore store = new ScriptedPoolStore(vertx, "p", "10.0.0.0/24", "10.0.0.1-10.0.0.50").then(Step.SLOW);
    PoolWriter writer = writer(store, RetryPolicy.CONFLICTS);
    Future<PoolOutcome> first = writer.submit(new PoolRequest.Allocate("ns/a0", "u0"));
    assertThat(store.slowStarted.await(5, TimeUnit.SECONDS)).isTrue();
    List<Future<PoolOutcome>> queued = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      queued.add(writer.submit(new PoolRequest.Allocate("ns/a" + i, "u" + i)));
    }
    Thread.sleep(100); // the 20 reach the queue while the first write is held
    store.releaseSlow.countDown();
    assertThat(await(first)).isEqualTo(new Allocated("10.0.0.1", true));
    HashSet<String> ips = new HashSet<>();
    for (Future<PoolOutcome> f : queued) {
      ips.add(((Allocated) await(f)).ip());
    }
    assertThat(ips).as("20 distinct IPs").hasSize(20).doesNotContain("10.0.0.1");
    assertThat(store.writes.get()).as("two writes for 21 allocations").isEqualTo(2);
    assertThat(store.committedBatches).containsExactly(1, 21);
  }

  @Test
  void onlyASmallFirstAttemptAnnouncesItsPlanBeforeTheWrite() throws Exception {
    ScriptedPoolStore store = new ScriptedPoolStore(vertx, "p", "10.0.0.0/24", "10.0.0.1-10.0.0.50")
        .then(Step.SLOW);
    PoolWriter writer = writer(store, RetryPolicy.CONFLICTS);
    Promise<String> quiet = Promise.promise();
    writer.submit(new PoolRequest.Allocate("ns/q", "uq"), quiet);
    assertThat(store.slowStarted.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(quiet.future().isComplete()).as("a quiet pool's caller learns its IP while the write is in flight")
        .isTrue();
    assertThat(quiet.future().result()).isEqualTo("10.0.0.1");

    List<Promise<String>> burst = new ArrayList<>();
    List<Future<PoolOutcome>> outcomes = new ArrayList<>();
    for (int i = 0; i < PoolWriter.EARLY_PLAN_MAX_BATCH + 1; i++) {
      Promise<String> planned = Promise.promise();
      burst.add(planned);
      outcomes.add(writer.submit(new PoolRequest.Allocate("ns/b" + i, "ub" + i), planned));
    }
    Thread.sleep(100);
    store.releaseSlow.countDown();
    for (Future<PoolOutcome> f : outcomes) {
      await(f);
    }
    assertThat(burst).as("a batch over the cap announces nothing early")
        .allMatch(p -> !p.future().isComplete());
  }

  @Test
  void aConflictReplansFromAFreshReadAndCountsIt() throws Exception {
    ScriptedPoolStore store = new ScriptedPoolStore(vertx, "p", "10.0.0.0/24", "10.0.0.1-10.0.0.50")
        .then(Step.CONFLICT, Step.CONFLICT, Step.CONFLICT);
    PoolWriter writer = writer(store, RetryPolicy.CONFLICTS);
    assertThat(await(writer.submit(new PoolRequest.Allocate("ns/a", "ua")))).isEqualTo(new Allocated("10.0.0.1", true));
    assertThat(store.writes.get()).isEqualTo(4);
    assertThat(store.reads.get()).as("each attempt reads the pool afresh").isEqualTo(4);
    assertThat(metrics.conflicts()).isEqualTo(3);
    assertThat(store.current().getStatus().allocatedIPCount).isEqualTo(1L);
  }

  @Test
  void conflictsPastTheBudgetFailWithTheirReasonAndNothingIsWritten() throws Exception {
    ScriptedPoolStore store = new ScriptedPoolStore(vertx, "p", "10.0.0.0/24", "10.0.0.1-10.0.0.50");
    for (int i = 0; i < 1000; i++) {
      store.then(Step.CONFLICT);
    }
    PoolWriter writer = writer(store, new RetryPolicy(Duration.ofMillis(300)));
    Future<PoolOutcome> outcome = writer.submit(new PoolRequest.Allocate("ns/a", "ua"));
    Throwable failure = outcome.toCompletionStage().toCompletableFuture().handle((v, e) -> e).get(10, TimeUnit.SECONDS);
    IpamException cause = (IpamException) (failure instanceof IpamException ? failure : failure.getCause());
    assertThat(cause.reason()).isEqualTo(IpamException.Reason.CONFLICT_RETRIES_EXHAUSTED);
    assertThat(cause.getMessage()).startsWith("exhaust all retries (").endsWith("failed to update IPPool p");
    assertThat(store.current().getStatus()).as("no record was committed").isNull();
  }

  @Test
  void aFailedWriteFailsItsBatchOnlyAndTheNextBatchProceeds() throws Exception {
    ScriptedPoolStore store = new ScriptedPoolStore(vertx, "p", "10.0.0.0/24", "10.0.0.1-10.0.0.50").then(Step.FAIL);
    PoolWriter writer = writer(store, RetryPolicy.CONFLICTS);
    Throwable failure = writer.submit(new PoolRequest.Allocate("ns/a", "ua")).toCompletionStage().toCompletableFuture()
        .handle((v, e) -> e).get(10, TimeUnit.SECONDS);
    assertThat(IpamException.reasonOf(failure instanceof IpamException ? failure : failure.getCause()))
        .isEqualTo(IpamException.Reason.API_ERROR);
    assertThat(await(writer.submit(new PoolRequest.Allocate("ns/b", "ub")))).isEqualTo(new Allocated("10.0.0.1", true));
  }

  @Test
  void outcomesCompleteOnTheWritersOwnContext() throws Exception {
    ScriptedPoolStore store = new ScriptedPoolStore(vertx, "p", "10.0.0.0/24", "10.0.0.1-10.0.0.50").then(Step.CONFLICT);
    PoolWriter writer = writer(store, RetryPolicy.CONFLICTS);
    Promise<Boolean> onContext = Promise.promise();
    // Submitted from a thread that is not a Vert.x thread; the continuation must still run on the writer's context.
    writer.submit(new PoolRequest.Allocate("ns/a", "ua")).onComplete(ar -> onContext.complete(Vertx.currentContext() == context));
    assertThat(await(onContext.future())).isTrue();
  }
}
