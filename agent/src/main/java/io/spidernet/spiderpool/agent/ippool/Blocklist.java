package io.spidernet.spiderpool.agent.ippool;

import io.spidernet.spiderpool.agent.kube.Kube;
import io.spidernet.spiderpool.api.ip.IP;
import io.spidernet.spiderpool.api.ip.IPFormatException;
import io.spidernet.spiderpool.api.ip.IPRanges;
import io.spidernet.spiderpool.api.ip.SortedIPs;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.api.v2beta1.SpiderReservedIP;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Addresses a pool must not hand out although they are in its ranges: those of SpiderReservedIPs,
 * and those other pools have recorded (two overlapping pools must never give out one IP twice,
 * whether or not a webhook forbade the overlap). Read from the informer caches; any thread.
 */
public final class Blocklist {
  private static final Logger LOG = LoggerFactory.getLogger(Blocklist.class);

  private final Kube kube;
  private final PoolSnapshots snapshots;

  public Blocklist(Kube kube, PoolSnapshots snapshots) {
    this.kube = kube;
    this.snapshots = snapshots;
  }

  /** Every non-terminating SpiderReservedIP's IPs of this family. */
  public IPRanges reserved(int version) {
    IPRanges all = IPRanges.empty(version);
    for (SpiderReservedIP r : kube.cachedReservedIPs()) {
      if (r.getMetadata().getDeletionTimestamp() != null || r.getSpec() == null || r.getSpec().ips == null) {
        continue;
      }
      if (r.getSpec().ipVersion != null && r.getSpec().ipVersion != version) {
        continue;
      }
      try {
        all = all.union(IPRanges.parse(version, r.getSpec().ips, "spec.ips"));
      } catch (IPFormatException e) {
        if (r.getSpec().ipVersion != null) {
          LOG.warn("SpiderReservedIP {} is ignored: {}", r.getMetadata().getName(), e.getMessage());
        }
      }
    }
    return all;
  }

  /** IPs recorded by other pools of the family that fall in {@code pool}'s usable ranges. */
  public SortedIPs elsewhere(PoolSnapshot pool) {
    List<IP> taken = new ArrayList<>();
    IPRanges mine = pool.ranges().usable();
    for (SpiderIPPool other : kube.cachedPools()) {
      if (other.getMetadata().getName().equals(pool.name())) {
        continue;
      }
      PoolSnapshot theirs;
      try {
        theirs = snapshots.of(other);
      } catch (IllegalArgumentException e) {
        continue; // an unusable pool hands out nothing; its own requests report why
      }
      if (theirs.ranges().version() != pool.ranges().version() || theirs.records().isEmpty()
          || theirs.ranges().usable().intersect(mine).isEmpty()) {
        continue;
      }
      SortedIPs recorded = theirs.allocated(); // parsed once per resourceVersion by the snapshot
      for (int i = 0; i < recorded.size(); i++) {
        if (mine.contains(recorded.get(i))) {
          taken.add(recorded.get(i));
        }
      }
    }
    return taken.isEmpty() ? SortedIPs.empty() : SortedIPs.of(taken);
  }
}
