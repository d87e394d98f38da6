package io.spidernet.spiderpool.agent.ippool;

import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import java.util.concurrent.ConcurrentHashMap;

/** The latest parsed snapshot of each pool, so a resourceVersion is parsed once. Thread-safe. */
public final class PoolSnapshots {
  private final ConcurrentHashMap<String, PoolSnapshot> byName = new ConcurrentHashMap<>();

  /** The snapshot of {@code pool}; throws IllegalArgumentException naming the pool if it is unusable. */
  public PoolSnapshot of(SpiderIPPool pool) {
    String name = pool.getMetadata().getName();
    PoolSnapshot snapshot = PoolSnapshot.of(pool, byName.get(name));
    byName.put(name, snapshot);
    return snapshot;
  }
}
