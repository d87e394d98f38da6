package io.spidernet.spiderpool.core.ippool;

import io.spidernet.spiderpool.api.codec.PoolIPAllocation;
import io.spidernet.spiderpool.api.ip.FreeIPs;
import io.spidernet.spiderpool.api.ip.IP;
import io.spidernet.spiderpool.api.ip.IPRanges;
import io.spidernet.spiderpool.api.ip.SortedIPs;
import io.spidernet.spiderpool.core.IpamException.Reason;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Decides a batch of requests against one pool snapshot: the records after the batch and each
 * request's outcome. Pure; the {@link PoolWriter} writes {@link #records()} with the snapshot's
 * resourceVersion and replans on conflict.
 *
 * <p>Rules (spec 4.2/4.3): a UID that already holds a record gets that IP back (a retried ADD is
 * idempotent); otherwise the lowest free IP of the usable ranges, skipping reserved IPs, IPs other
 * pools recorded and IPs given earlier in the batch; no free IP, or the record limit reached, is
 * "all IP addresses used out" naming the pool. A terminating or disabled pool gives no new IP but
 * still returns the one a UID holds. Releases drop only records whose UID matches.
 */
public final class BatchPlan {
  private final SortedMap<String, PoolIPAllocation> records;
  private final List<PoolOutcome> outcomes;
  private final boolean changed;

  private BatchPlan(TreeMap<String, PoolIPAllocation> records, List<PoolOutcome> outcomes, boolean changed) {
    this.records = Collections.unmodifiableSortedMap(records);
    this.outcomes = List.copyOf(outcomes);
    this.changed = changed;
  }

  /**
   * @param reserved addresses no pool may hand out (SpiderReservedIPs of the pool's family)
   * @param elsewhere IPs recorded in other pools
   * @param maxRecords {@code SPIDERPOOL_IPPOOL_MAX_ALLOCATED_IPS}
   */
  public static BatchPlan plan(
      PoolSnapshot pool, IPRanges reserved, SortedIPs elsewhere, List<PoolRequest> requests, int maxRecords) {
    TreeMap<String, PoolIPAllocation> records = new TreeMap<>(pool.records());
    Map<String, String> ipByUid = new HashMap<>();
    records.forEach((ip, r) -> ipByUid.putIfAbsent(r.podUid(), ip));
    List<PoolOutcome> outcomes = new ArrayList<>(requests.size());
    boolean changed = false;
    Iterator<IP> free = null;
    for (PoolRequest request : requests) {
      if (request instanceof PoolRequest.Release release) {
        List<String> removed = new ArrayList<>();
        records.entrySet().removeIf(e -> {
          boolean match = e.getValue().podUid().equals(release.uid())
              && (release.ips() == null || release.ips().contains(e.getKey()));
          if (match) {
            removed.add(e.getKey());
          }
          return match;
        });
        if (!removed.isEmpty()) {
          ipByUid.remove(release.uid());
          changed = true;
        }
        outcomes.add(new PoolOutcome.Released(removed));
        continue;
      }
      if (request instanceof PoolRequest.Recount) {
        outcomes.add(new PoolOutcome.Counted());
        continue;
      }
      if (request instanceof PoolRequest.Rebind rebind) {
        PoolOutcome outcome = rebind(pool, records, ipByUid, rebind, reserved, elsewhere);
        changed |= outcome instanceof PoolOutcome.Allocated a && (a.fresh() || !rebind.oldUid().equals(rebind.newUid()));
        outcomes.add(outcome);
        continue;
      }
      PoolRequest.Allocate allocate = (PoolRequest.Allocate) request;
      String held = ipByUid.get(allocate.uid());
      if (held != null) {
        outcomes.add(new PoolOutcome.Allocated(held, false));
        continue;
      }
      String refused = refusal(pool);
      if (refused != null) {
        outcomes.add(new PoolOutcome.Exhausted(Reason.POOL_EXHAUSTED, refused));
        continue;
      }
      if (records.size() >= maxRecords) {
        outcomes.add(new PoolOutcome.Exhausted(Reason.POOL_EXHAUSTED, "all IP addresses used out, threshold of IP records(<=" + maxRecords
            + ") for IPPool " + pool.name() + " exceeded"));
        continue;
      }
      if (free == null) {
        free = freeIPs(pool, reserved, elsewhere);
      }
      if (!free.hasNext()) {
        outcomes.add(new PoolOutcome.Exhausted(Reason.POOL_EXHAUSTED, "all IP addresses used out: IPPool " + pool.name() + " has "
            + records.size() + " of " + pool.ranges().total() + " IPs allocated"
            + (reserved.isEmpty() && elsewhere.size() == 0 ? "" : " and the rest reserved or held by other pools")));
        continue;
      }
      String ip = free.next().toString();
      records.put(ip, new PoolIPAllocation(allocate.pod(), allocate.uid()));
      ipByUid.put(allocate.uid(), ip);
      outcomes.add(new PoolOutcome.Allocated(ip, true));
      changed = true;
    }
    return new BatchPlan(records, outcomes, changed);
  }

  private static PoolOutcome rebind(PoolSnapshot pool, TreeMap<String, PoolIPAllocation> records,
      Map<String, String> ipByUid, PoolRequest.Rebind rebind, IPRanges reserved, SortedIPs elsewhere) {
    PoolIPAllocation record = records.get(rebind.ip());
    if (record != null && !record.pod().equals(rebind.pod())) {
      return new PoolOutcome.Exhausted(Reason.REFUSED, "data broken: IP " + rebind.ip() + " of IPPool " + pool.name()
          + " is recorded for pod " + record.pod() + ", not " + rebind.pod());
    }
    if (record == null) {
      IP ip = IP.parse(rebind.ip());
      if (!pool.ranges().usable().contains(ip) || reserved.contains(ip) || elsewhere.contains(ip)) {
        return new PoolOutcome.Exhausted(Reason.REFUSED, "IP " + rebind.ip() + " of pod " + rebind.pod()
            + " can no longer be given by IPPool " + pool.name());
      }
    }
    records.put(rebind.ip(), new PoolIPAllocation(rebind.pod(), rebind.newUid()));
    ipByUid.remove(rebind.oldUid());
    ipByUid.put(rebind.newUid(), rebind.ip());
    return new PoolOutcome.Allocated(rebind.ip(), record == null);
  }

  /** Why a pool takes no new allocations (it still releases), or null. */
  private static String refusal(PoolSnapshot pool) {
    if (pool.pool().getMetadata().getDeletionTimestamp() != null) {
      return "terminating IPPool " + pool.name();
    }
    if (Boolean.TRUE.equals(pool.pool().getSpec().disable)) {
      return "disabled IPPool " + pool.name();
    }
    return null;
  }

  /** Free IPs of the pool before this batch: released IPs become free only in the next batch. */
  private static Iterator<IP> freeIPs(PoolSnapshot pool, IPRanges reserved, SortedIPs elsewhere) {
    IPRanges usable = reserved.isEmpty() ? pool.ranges().usable() : pool.ranges().usable().subtract(reserved);
    if (elsewhere.size() == 0) {
      return usable.free(pool.allocated());
    }
    FreeIPs mine = usable.free(pool.allocated());
    return new Iterator<>() {
      private IP next = advance();

      private IP advance() {
        while (mine.hasNext()) {
          IP candidate = mine.next();
          if (!elsewhere.contains(candidate)) {
            return candidate;
          }
        }
        return null;
      }

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public IP next() {
        IP out = next;
        next = advance();
        return out;
      }
    };
  }

  /** The pool's records after the batch; unmodifiable. */
  public SortedMap<String, PoolIPAllocation> records() {
    return records;
  }

  /** One outcome per request, in request order. */
  public List<PoolOutcome> outcomes() {
    return outcomes;
  }

  /** Whether the records differ from the snapshot's (nothing to write otherwise). */
  public boolean changed() {
    return changed;
  }
}
