package io.spidernet.spiderpool.api.ippool;

import io.spidernet.spiderpool.api.ip.Cidr;
import io.spidernet.spiderpool.api.ip.IPFormatException;
import io.spidernet.spiderpool.api.ip.IPRanges;
import io.spidernet.spiderpool.api.v2beta1.IPPoolSpec;

/**
 * What a pool may hand out, computed from its spec without trusting that a webhook normalised it:
 * the family comes from {@code spec.subnet} (and must agree with {@code spec.ipVersion} when set),
 * ranges are merged, and {@code ips} outside the subnet are dropped.
 *
 * @param version 4 or 6
 * @param subnet the pool's subnet
 * @param usable {@code ips} within the subnet, minus {@code excludeIPs}
 */
public record PoolRanges(int version, Cidr subnet, IPRanges usable) {
  /** Parses a pool's spec; the error names the pool and the field. */
  public static PoolRanges of(String poolName, IPPoolSpec spec) {
    if (spec == null || spec.subnet == null) {
      throw new IPFormatException("SpiderIPPool " + poolName + ": spec.subnet is missing");
    }
    Cidr subnet;
    try {
      subnet = Cidr.parse(spec.subnet);
    } catch (IPFormatException e) {
      throw new IPFormatException("SpiderIPPool " + poolName + " spec.subnet: " + e.getMessage());
    }
    int version = subnet.version();
    if (spec.ipVersion != null && spec.ipVersion != version) {
      throw new IPFormatException("SpiderIPPool " + poolName + ": spec.ipVersion " + spec.ipVersion
          + " does not match spec.subnet " + subnet);
    }
    try {
      IPRanges ips = IPRanges.parse(version, spec.ips, "spec.ips");
      IPRanges exclude = IPRanges.parse(version, spec.excludeIPs, "spec.excludeIPs");
      return new PoolRanges(version, subnet, ips.intersect(IPRanges.of(subnet)).subtract(exclude));
    } catch (IPFormatException e) {
      throw new IPFormatException("SpiderIPPool " + poolName + " " + e.getMessage());
    }
  }

  /** {@code totalIPCount}: usable addresses, clamped to int64. */
  public long total() {
    return usable.countSaturated();
  }
}
