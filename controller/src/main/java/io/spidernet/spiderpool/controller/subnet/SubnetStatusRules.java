package io.spidernet.spiderpool.controller.subnet;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.spidernet.spiderpool.api.codec.ControlledIPPools;
import io.spidernet.spiderpool.api.codec.PoolIPPreAllocation;
import io.spidernet.spiderpool.api.ip.Cidr;
import io.spidernet.spiderpool.api.ip.IPRanges;
import io.spidernet.spiderpool.api.ippool.PoolRanges;
import io.spidernet.spiderpool.api.ippool.SubnetRanges;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.api.v2beta1.SpiderSubnet;
import io.spidernet.spiderpool.core.pod.PodRules;
import io.spidernet.spiderpool.core.subnet.AutoPools;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A SpiderSubnet's status from its pools (spec 6.5), as pure functions: which pools it controls and
 * with which of its IPs, how many of its IPs they hold, how many it has; and which pools of its CIDR
 * it should adopt.
 */
public final class SubnetStatusRules {
  private SubnetStatusRules() {}

  /** The status a subnet should show. */
  public record Computed(SortedMap<String, PoolIPPreAllocation> controlled, long allocated, long total) {}

  /**
   * @param pools every pool known
   * @param applicationExists whether the application an auto-pool entry names still exists
   */
  public static Computed compute(SpiderSubnet subnet, Collection<SpiderIPPool> pools, Predicate<String> applicationExists) {
    IPRanges usable = SubnetRanges.usable(subnet.getSpec());
    SortedMap<String, PoolIPPreAllocation> before = ControlledIPPools.orEmpty(subnet);
    SortedMap<String, PoolIPPreAllocation> controlled = new TreeMap<>();
    List<String> present = new ArrayList<>();
    for (SpiderIPPool pool : pools) {
      if (!controls(subnet, pool)) {
        continue;
      }
      String name = pool.getMetadata().getName();
      present.add(name);
      PoolIPPreAllocation recorded = before.get(name);
      if (AutoPools.isAutoPool(pool) && recorded != null && recorded.application() != null) {
        controlled.put(name, recorded); // the application controller's pre-allocation stands
        continue;
      }
      IPRanges mine;
      try {
        mine = PoolRanges.of(name, pool.getSpec()).usable();
      } catch (IllegalArgumentException unusable) {
        mine = null;
      }
      IPRanges taken = usable == null || mine == null || mine.version() != usable.version() ? null : mine.intersect(usable);
      controlled.put(name, new PoolIPPreAllocation(taken == null ? List.of() : taken.toStrings(), null));
    }
    for (Map.Entry<String, PoolIPPreAllocation> e : before.entrySet()) {
      if (!present.contains(e.getKey()) && e.getValue().application() != null && applicationExists.test(e.getValue().application())) {
        controlled.put(e.getKey(), e.getValue()); // its application is still being served: the pool comes (back)
      }
    }
    BigInteger allocated = BigInteger.ZERO;
    if (usable != null) {
      for (PoolIPPreAllocation entry : controlled.values()) {
        try {
          allocated = allocated.add(IPRanges.parse(usable.version(), entry.ips(), "controlledIPPools").count());
        } catch (IllegalArgumentException ignored) {
          // an entry of the other family cannot hold this subnet's IPs
        }
      }
    }
    long total = usable == null ? 0 : usable.countSaturated();
    return new Computed(controlled, allocated.min(BigInteger.valueOf(Long.MAX_VALUE)).longValue(), total);
  }

  /** Whether {@code pool} should be adopted: same CIDR, no controller, not being deleted. */
  public static boolean adoptable(SpiderSubnet subnet, SpiderIPPool pool) {
    if (pool.getMetadata().getDeletionTimestamp() != null || PodRules.controllerOf(pool) != null || pool.getSpec() == null
        || pool.getSpec().subnet == null || subnet.getSpec() == null || subnet.getSpec().subnet == null) {
      return false;
    }
    try {
      return Cidr.parseAny(pool.getSpec().subnet).label().equals(Cidr.parseAny(subnet.getSpec().subnet).label());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Whether the subnet is {@code pool}'s controller. */
  public static boolean controls(SpiderSubnet subnet, SpiderIPPool pool) {
    OwnerReference owner = PodRules.controllerOf(pool);
    return owner != null && "SpiderSubnet".equals(owner.getKind()) && subnet.getMetadata().getName().equals(owner.getName())
        && (owner.getUid() == null || owner.getUid().equals(subnet.getMetadata().getUid()));
  }
}
