package io.spidernet.spiderpool.core.ippool;

import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.core.kube.Kube;
import io.spidernet.spiderpool.core.kube.KubeNames;
import io.vertx.core.Future;
import java.util.concurrent.Callable;

/**
 * What the pool write path needs of the API server: a blocking executor, a fresh read and a status
 * write guarded by the resourceVersion. {@link #of(Kube)} is the real one; tests script another
 * (conflicts, failures, slow writes) to drive {@link PoolWriter} without a cluster.
 */
public interface PoolStore {
  /** Runs blocking work off the event loop; the future may complete on any thread. Any thread. */
  <T> Future<T> blocking(Callable<T> work);

  /** The pool as the API server has it now, or null. Blocking: only inside {@link #blocking}. */
  SpiderIPPool read(String name);

  /**
   * Writes the pool's status with its resourceVersion as precondition and returns the written
   * object; fails with the API server's 409 when someone wrote since. Blocking.
   */
  SpiderIPPool writeStatus(SpiderIPPool pool);

  /** A deep copy, to change a shared (cached) instance. */
  SpiderIPPool copy(SpiderIPPool pool);

  static PoolStore of(Kube kube) {
    return new PoolStore() {
      @Override
      public <T> Future<T> blocking(Callable<T> work) {
        return kube.call(work);
      }

      @Override
      public SpiderIPPool read(String name) {
        return kube.client().resources(SpiderIPPool.class).withName(KubeNames.object("IPPool", name)).get();
      }

      @Override
      public SpiderIPPool writeStatus(SpiderIPPool pool) {
        // The server keeps managedFields when an update leaves them out: don't send them back.
        pool.getMetadata().setManagedFields(null);
        return kube.client().resource(pool).updateStatus();
      }

      @Override
      public SpiderIPPool copy(SpiderIPPool pool) {
        return kube.client().getKubernetesSerialization().clone(pool);
      }
    };
  }
}
