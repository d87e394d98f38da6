package io.spidernet.spiderpool.core.ippool;

import io.spidernet.spiderpool.api.codec.PoolIPAllocations;
import io.spidernet.spiderpool.api.ip.IP;
import io.spidernet.spiderpool.api.ippool.PoolRanges;
import io.spidernet.spiderpool.api.ip.IPFormatException;
import io.spidernet.spiderpool.api.ip.IPRanges;
import io.spidernet.spiderpool.api.ip.SortedIPs;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.api.v2beta1.SpiderReservedIP;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Addresses a pool must not hand out although they are in its ranges: those of SpiderReservedIPs,
 * and those other pools have recorded (two overlapping pools must never give out one IP twice,
 * whether or not a webhook forbade the overlap). Read from the informer caches; any thread.
 *
 * <p>Bad data never widens what may be handed out: a SpiderReservedIP's unparsable entry is
 * skipped while its valid entries stay reserved, and a pool whose spec cannot be used still has its
 * records respected. Each problem is logged once per object version and counted
 * ({@link #ignoredEntries()}).
 */
public final class Blocklist {
  private static final Logger LOG = LoggerFactory.getLogger(Blocklist.class);

  private final PoolCache cache;
  private final PoolSnapshots snapshots;
  private final AtomicLong ignored = new AtomicLong();
  private final Set<String> reported = ConcurrentHashMap.newKeySet();

  public Blocklist(PoolCache cache, PoolSnapshots snapshots) {
    this.cache = cache;
    this.snapshots = snapshots;
  }

  /** Every non-terminating SpiderReservedIP's IPs of this family. */
  public IPRanges reserved(int version) {
    IPRanges all = IPRanges.empty(version);
    for (SpiderReservedIP r : cache.reservedIPs()) {
      if (r.getMetadata().getDeletionTimestamp() != null || r.getSpec() == null || r.getSpec().ips == null) {
        continue;
      }
      if (r.getSpec().ipVersion != null && r.getSpec().ipVersion != version) {
        continue;
      }
      all = all.union(reservedBy(r, version));
    }
    return all;
  }

  /**
   * The IPs of one reservation: all its entries parsed at once (the common case), else entry by entry
   * so that one bad entry leaves the others reserved.
   */
  private IPRanges reservedBy(SpiderReservedIP r, int version) {
    List<String> ips = r.getSpec().ips;
    try {
      return IPRanges.parse(version, ips, "spec.ips");
    } catch (IPFormatException whole) {
      IPRanges valid = IPRanges.empty(version);
      for (int i = 0; i < ips.size(); i++) {
        try {
          valid = valid.union(IPRanges.parse(version, List.of(ips.get(i)), "spec.ips[" + i + "]"));
        } catch (IPFormatException e) {
          if (r.getSpec().ipVersion == null && parsesAs(10 - version, ips.get(i))) {
            continue; // an entry of the other family, in a reservation that names none
          }
          problem("SpiderReservedIP " + r.getMetadata().getName(), r.getMetadata().getResourceVersion(),
              "entry spec.ips[" + i + "] " + ips.get(i) + " is not reserved: " + e.getMessage());
        }
      }
      return valid;
    }
  }

  /** IPs recorded by other pools of the family that fall in {@code pool}'s usable ranges. */
  public SortedIPs elsewhere(PoolSnapshot pool) {
    List<IP> taken = new ArrayList<>();
    IPRanges mine = pool.ranges().usable();
    for (SpiderIPPool other : cache.pools()) {
      if (other.getMetadata().getName().equals(pool.name())) {
        continue;
      }
      SortedIPs recorded;
      try {
        // The ranges first (the spec only): the records of a pool that cannot overlap are never parsed.
        PoolRanges ranges = snapshots.ranges(other);
        if (ranges.version() != pool.ranges().version() || ranges.usable().intersect(mine).isEmpty()) {
          continue;
        }
        recorded = snapshots.of(other).allocated(); // parsed once per resourceVersion by the snapshot
      } catch (IllegalArgumentException e) {
        recorded = recordsOfUnusable(other, e);
      }
      for (int i = 0; i < recorded.size(); i++) {
        if (mine.contains(recorded.get(i))) {
          taken.add(recorded.get(i));
        }
      }
    }
    return taken.isEmpty() ? SortedIPs.empty() : SortedIPs.of(taken);
  }

  /** The records of a pool whose spec cannot be used: they still hold their IPs. */
  private SortedIPs recordsOfUnusable(SpiderIPPool pool, IllegalArgumentException why) {
    String name = pool.getMetadata().getName();
    problem("SpiderIPPool " + name, pool.getMetadata().getResourceVersion(),
        "its spec cannot be used (" + why.getMessage() + "); its records stay respected");
    try {
      String json = pool.getStatus() == null ? null : pool.getStatus().allocatedIPs;
      List<IP> ips = new ArrayList<>();
      for (String ip : PoolIPAllocations.decode(name, json).keySet()) {
        ips.add(IP.parse(ip));
      }
      return SortedIPs.of(ips);
    } catch (IllegalArgumentException e) {
      problem("SpiderIPPool " + name, pool.getMetadata().getResourceVersion() + "/status",
          "its records cannot be read: " + e.getMessage());
      return SortedIPs.empty();
    }
  }

  private void problem(String object, String version, String message) {
    ignored.incrementAndGet();
    if (reported.add(object + "@" + version)) {
      if (reported.size() > 10_000) {
        reported.clear();
      }
      LOG.warn("{}: {}", object, message);
    }
  }

  /** How many unusable entries or pools the reservation check met (one per look). */
  public long ignoredEntries() {
    return ignored.get();
  }

  private static boolean parsesAs(int version, String entry) {
    try {
      IPRanges.parse(version, List.of(entry), "spec.ips");
      return true;
    } catch (IPFormatException e) {
      return false;
    }
  }
}
