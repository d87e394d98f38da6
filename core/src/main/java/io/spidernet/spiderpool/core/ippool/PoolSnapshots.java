package io.spidernet.spiderpool.core.ippool;

import io.spidernet.spiderpool.api.ippool.PoolRanges;
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
  private final ConcurrentHashMap<String, RangesAt> rangesByName = new ConcurrentHashMap<>();

  /** A pool's parsed ranges and the spec generation they were parsed from. */
  private record RangesAt(Long generation, PoolRanges ranges) {}

  /** The snapshot of {@code pool}; throws IllegalArgumentException naming the pool if it is unusable. */
  public PoolSnapshot of(SpiderIPPool pool) {
    String name = pool.getMetadata().getName();
    PoolSnapshot snapshot = PoolSnapshot.of(pool, byName.get(name));
    byName.merge(name, snapshot, (old, candidate) -> newer(candidate, old) ? candidate : old);
    return snapshot;
  }

  /**
   * The usable ranges of {@code pool}'s spec, parsed once per spec generation (a status write does
   * not change it): what a writer checks every other pool against before it reads their records.
   * Throws IllegalArgumentException naming the pool when its spec cannot be used.
   */
  public PoolRanges ranges(SpiderIPPool pool) {
    String name = pool.getMetadata().getName();
    Long generation = pool.getMetadata().getGeneration();
    RangesAt known = rangesByName.get(name);
    if (generation != null && known != null && generation.equals(known.generation())) {
      return known.ranges();
    }
    PoolRanges ranges = PoolRanges.of(name, pool.getSpec());
    if (generation != null) {
      rangesByName.put(name, new RangesAt(generation, ranges));
    }
    return ranges;
  }

  /** Drops the snapshots of pools {@code keep} does not name, and the parsed ranges of those {@code keepRanges} does not. */
  public void retain(Predicate<String> keep, Predicate<String> keepRanges) {
    byName.keySet().removeIf(name -> !keep.test(name));
    rangesByName.keySet().removeIf(name -> !keepRanges.test(name));
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
