package io.spidernet.spiderpool.api.codec;

import io.spidernet.spiderpool.api.ip.IPFormatException;
import io.spidernet.spiderpool.api.ip.IPRange;
import io.spidernet.spiderpool.api.v2beta1.SpiderSubnet;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Codec of a SpiderSubnet's {@code status.controlledIPPools}: a JSON string of an object keyed by
 * pool name, e.g. {@code {"auto4-nginx-eth0-a1b2c":{"ips":["10.0.0.1-10.0.0.3"],
 * "application":"apps_v1_Deployment_default_nginx"}}}; absent when no pool is controlled.
 */
public final class ControlledIPPools {
  private ControlledIPPools() {}

  public static SortedMap<String, PoolIPPreAllocation> decode(String subnetName, String json) {
    String where = "SpiderSubnet " + subnetName + " status.controlledIPPools";
    SortedMap<String, PoolIPPreAllocation> pools = StatusJson.decode(json, PoolIPPreAllocation.class, where);
    for (Map.Entry<String, PoolIPPreAllocation> e : pools.entrySet()) {
      PoolIPPreAllocation entry = e.getValue();
      if (entry == null || entry.ips() == null) {
        throw new StatusCodecException(where + ": pool " + e.getKey() + " has no ips");
      }
      for (int i = 0; i < entry.ips().size(); i++) {
        try {
          IPRange.parse(entry.ips().get(i));
        } catch (IPFormatException ex) {
          throw new StatusCodecException(where + ": pool " + e.getKey() + " ips[" + i + "]: " + ex.getMessage());
        }
      }
    }
    return pools;
  }

  /** The subnet's entries: none when its status has none; throws {@link StatusCodecException} when unreadable. */
  public static SortedMap<String, PoolIPPreAllocation> of(SpiderSubnet subnet) {
    if (subnet.getStatus() == null || subnet.getStatus().controlledIPPools == null) {
      return new TreeMap<>();
    }
    return decode(subnet.getMetadata().getName(), subnet.getStatus().controlledIPPools);
  }

  /** As {@link #of}, with none for an unreadable status: for readers that must not fail on another writer's bad data. */
  public static SortedMap<String, PoolIPPreAllocation> orEmpty(SpiderSubnet subnet) {
    try {
      return of(subnet);
    } catch (StatusCodecException e) {
      return new TreeMap<>();
    }
  }

  public static String encode(Map<String, PoolIPPreAllocation> pools) {
    return StatusJson.encode(pools);
  }
}
