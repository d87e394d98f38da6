package io.spidernet.spiderpool.core.ippool;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.spidernet.spiderpool.api.v2beta1.IPPoolSpec;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An API server for one pool, in memory, whose status writes follow a script: a conflict (someone
 * else wrote: the resourceVersion moves on), a failure, a slow write held until released, or a
 * plain success once the script is used up. The resourceVersion precondition is enforced as the
 * real server does.
 */
final class ScriptedPoolStore implements PoolStore {
  enum Step { CONFLICT, FAIL, SLOW }

  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  private final WorkerExecutor worker;
  private final Deque<Step> script = new ArrayDeque<>();
  private SpiderIPPool current;
  final AtomicInteger reads = new AtomicInteger();
  final AtomicInteger writes = new AtomicInteger();
  /** Request counts of each write that committed, in order. */
  final List<Integer> committedBatches = new ArrayList<>();
  final CountDownLatch slowStarted = new CountDownLatch(1);
  final CountDownLatch releaseSlow = new CountDownLatch(1);

  ScriptedPoolStore(Vertx vertx, String name, String subnet, String... ips) {
    worker = vertx.createSharedWorkerExecutor("scripted-kube", 4);
    SpiderIPPool pool = new SpiderIPPool();
    pool.getMetadata().setName(name);
    pool.getMetadata().setResourceVersion("1");
    IPPoolSpec spec = new IPPoolSpec();
    spec.subnet = subnet;
    spec.ips = List.of(ips);
    pool.setSpec(spec);
    current = pool;
  }

  synchronized ScriptedPoolStore then(Step... steps) {
    script.addAll(List.of(steps));
    return this;
  }

  synchronized SpiderIPPool current() {
    return copy(current);
  }

  @Override
  public <T> Future<T> blocking(Callable<T> work) {
    return worker.executeBlocking(work, false);
  }

  @Override
  public synchronized SpiderIPPool read(String name) {
    reads.incrementAndGet();
    return copy(current);
  }

  @Override
  public SpiderIPPool writeStatus(SpiderIPPool pool) {
    Step step;
    synchronized (this) {
      writes.incrementAndGet();
      step = script.poll();
    }
    if (step == Step.SLOW) {
      slowStarted.countDown();
      try {
        releaseSlow.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    synchronized (this) {
      if (step == Step.CONFLICT) {
        bump(); // another writer got there first
      }
      if (step == Step.FAIL) {
        throw new KubernetesClientException(new StatusBuilder().withCode(500).withMessage("etcd is unhappy").build());
      }
      if (!pool.getMetadata().getResourceVersion().equals(current.getMetadata().getResourceVersion())) {
        throw new KubernetesClientException(new StatusBuilder().withCode(409)
            .withMessage("the object has been modified; please apply your changes to the latest version").build());
      }
      current = copy(pool);
      bump();
      committedBatches.add(pool.getStatus().allocatedIPCount.intValue());
      return copy(current);
    }
  }

  private void bump() {
    current.getMetadata().setResourceVersion(String.valueOf(Long.parseLong(current.getMetadata().getResourceVersion()) + 1));
  }

  @Override
  public SpiderIPPool copy(SpiderIPPool pool) {
    return JSON.clone(pool);
  }
}
