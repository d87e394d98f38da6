package io.spidernet.spiderpool.api.ippool;

import io.spidernet.spiderpool.api.ip.IPRanges;
import io.spidernet.spiderpool.api.v2beta1.SubnetSpec;
import java.util.List;

/** The IPs a SpiderSubnet gives out: {@code ips} minus {@code excludeIPs}. Pure. */
public final class SubnetRanges {
  private SubnetRanges() {}

  /** The subnet's usable IPs, or null when its spec cannot be read (no family, malformed entries). */
  public static IPRanges usable(SubnetSpec spec) {
    if (spec == null || spec.ipVersion == null || (spec.ipVersion != 4 && spec.ipVersion != 6)) {
      return null;
    }
    int v = spec.ipVersion.intValue();
    try {
      return IPRanges.parse(v, spec.ips == null ? List.of() : spec.ips, "spec.ips")
          .subtract(IPRanges.parse(v, spec.excludeIPs == null ? List.of() : spec.excludeIPs, "spec.excludeIPs"));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
