package io.spidernet.spiderpool.core.ippool;

import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The newest parsed snapshot of each pool, so a resourceVersion is parsed once. A snapshot is
 * replaced only by a newer resourceVersion (an older copy read late never displaces it).
 * Thread-safe.
 */
public final class PoolSnapshots {
  private final ConcurrentHashMap<String, PoolSnapshot> byName = new ConcurrentHashMap<>();

  /** The snapshot of {@code pool}; throws IllegalArgumentException naming the pool if it is unusable. */
  public PoolSnapshot of(SpiderIPPool pool) {
    String name = pool.getMetadata().getName();
    PoolSnapshot snapshot = PoolSnapshot.of(pool, byName.get(name));
    byName.merge(name, snapshot, (old, candidate) -> newer(candidate, old) ? candidate : old);
    return snapshot;
  }

  /** Drops the snapshots of pools {@code keep} does not name. */
  public void retain(Predicate<String> keep) {
    byName.keySet().removeIf(name -> !keep.test(name));
  }

  int size() {
    return byName.size();
  }

  private static boolean newer(PoolSnapshot candidate, PoolSnapshot old) {
    long c = number(candidate.resourceVersion());
    long o = number(old.resourceVersion());
    return c < 0 || o < 0 || c > o; // a version that is not a number cannot be ordered: take the new copy
  }

  private static long number(String resourceVersion) {
    try {
      return Long.parseLong(resourceVersion);
    } catch (NumberFormatException | NullPointerException e) {
      return -1;
    }
  }
}
