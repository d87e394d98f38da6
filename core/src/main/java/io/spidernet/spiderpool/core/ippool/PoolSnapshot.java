package io.spidernet.spiderpool.core.ippool;

import io.spidernet.spiderpool.api.codec.PoolIPAllocation;
import io.spidernet.spiderpool.api.codec.PoolIPAllocations;
import io.spidernet.spiderpool.api.ip.IP;
import io.spidernet.spiderpool.api.ip.SortedIPs;
import io.spidernet.spiderpool.api.ippool.PoolRanges;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * A pool as read at one resourceVersion, parsed once: its usable ranges, its records and the
 * records' IPs as a sorted set. Immutable; parsing 5k records costs ~0.3 ms, so callers cache
 * snapshots by resourceVersion ({@link #of} with a previous snapshot reuses it when unchanged).
 */
public final class PoolSnapshot {
  private final SpiderIPPool pool;
  private final PoolRanges ranges;
  private final SortedMap<String, PoolIPAllocation> records;
  private final SortedIPs allocated;
  private final Map<String, String> ipByUid;

  private PoolSnapshot(SpiderIPPool pool, PoolRanges ranges, SortedMap<String, PoolIPAllocation> records) {
    this.pool = pool;
    this.ranges = ranges;
    this.records = Collections.unmodifiableSortedMap(records);
    List<IP> ips = new ArrayList<>(records.size());
    Map<String, String> byUid = new HashMap<>();
    for (Map.Entry<String, PoolIPAllocation> e : records.entrySet()) {
      ips.add(IP.parse(e.getKey()));
      byUid.putIfAbsent(e.getValue().podUid(), e.getKey());
    }
    this.allocated = SortedIPs.of(ips);
    this.ipByUid = byUid;
  }

  /**
   * Parses {@code pool}, reusing {@code previous} when it is the same resourceVersion. Throws
   * IllegalArgumentException naming the pool when its spec or status cannot be used.
   */
  public static PoolSnapshot of(SpiderIPPool pool, PoolSnapshot previous) {
    if (previous != null && previous.resourceVersion().equals(pool.getMetadata().getResourceVersion())) {
      return previous;
    }
    String name = pool.getMetadata().getName();
    PoolRanges ranges = PoolRanges.of(name, pool.getSpec());
    String json = pool.getStatus() == null ? null : pool.getStatus().allocatedIPs;
    return new PoolSnapshot(pool, ranges, PoolIPAllocations.decode(name, json));
  }

  public String name() {
    return pool.getMetadata().getName();
  }

  public String resourceVersion() {
    return pool.getMetadata().getResourceVersion();
  }

  public SpiderIPPool pool() {
    return pool;
  }

  public PoolRanges ranges() {
    return ranges;
  }

  public SortedMap<String, PoolIPAllocation> records() {
    return records;
  }

  public SortedIPs allocated() {
    return allocated;
  }

  /** The IP this pod incarnation holds in the pool, or null. */
  public String ipOf(String podUid) {
    return ipByUid.get(podUid);
  }
}
