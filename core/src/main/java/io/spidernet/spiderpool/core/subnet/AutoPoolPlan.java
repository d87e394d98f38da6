package io.spidernet.spiderpool.core.subnet;

import io.spidernet.spiderpool.api.codec.PoolIPPreAllocation;
import io.spidernet.spiderpool.api.ip.IP;
import io.spidernet.spiderpool.api.ip.IPRange;
import io.spidernet.spiderpool.api.ip.IPRanges;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * How an auto-pool's IPs change to reach its size (spec 6.5), as a pure function. Growing takes the
 * lowest of the subnet's IPs that no other pool of the subnet was given and no SpiderReservedIP
 * reserves; shrinking gives back the highest IPs no pod holds, never an allocated one.
 *
 * @param ips the pool's IPs after the change
 * @param shortfall how many IPs could not be added (growing: the subnet has too few free) or removed
 *     (shrinking: too many are allocated); 0 when the pool reaches its size
 */
public record AutoPoolPlan(IPRanges ips, long shortfall) {

  /**
   * @param usable the subnet's ips − excludeIPs
   * @param controlled the subnet's {@code status.controlledIPPools}
   * @param reserved every reserved IP of the family
   * @param pool the auto-pool's name
   * @param current the auto-pool's IPs now (empty for a new pool)
   * @param allocated the IPs pods hold in the pool
   */
  public static AutoPoolPlan resize(IPRanges usable, Map<String, PoolIPPreAllocation> controlled, IPRanges reserved,
      String pool, IPRanges current, Collection<IP> allocated, long size) {
    long have = current.countSaturated();
    if (have == size) {
      return new AutoPoolPlan(current, 0);
    }
    if (have < size) {
      IPRanges free = usable.subtract(reserved).subtract(current);
      for (Map.Entry<String, PoolIPPreAllocation> e : controlled.entrySet()) {
        if (!e.getKey().equals(pool)) {
          free = free.subtract(given(usable.version(), e.getValue()));
        }
      }
      IPRanges added = free.lowest(size - have);
      return new AutoPoolPlan(current.union(added), size - have - added.countSaturated());
    }
    List<IPRange> held = new ArrayList<>();
    for (IP ip : allocated) {
      if (ip.version() == current.version()) {
        held.add(IPRange.single(ip));
      }
    }
    IPRanges removable = current.subtract(IPRanges.of(current.version(), held));
    IPRanges removed = removable.highest(have - size);
    return new AutoPoolPlan(current.subtract(removed), have - size - removed.countSaturated());
  }

  /** The IPs an entry of {@code controlledIPPools} gives its pool; none when unreadable or of the other family. */
  static IPRanges given(int version, PoolIPPreAllocation entry) {
    try {
      return IPRanges.parse(version, entry.ips(), "controlledIPPools");
    } catch (IllegalArgumentException e) {
      return IPRanges.empty(version);
    }
  }

}
