package io.spidernet.spiderpool.api.codec;

import io.spidernet.spiderpool.api.ip.IP;
import io.spidernet.spiderpool.api.ip.IPFormatException;
import java.util.Map;
import java.util.SortedMap;

/**
 * Codec of a SpiderIPPool's {@code status.allocatedIPs}: a JSON string of an object keyed by the
 * bare IP, e.g. {@code {"172.18.40.10":{"pod":"default/nginx-abcde","podUid":"b1f0..."}}}; absent
 * when no IP is allocated.
 */
public final class PoolIPAllocations {
  private PoolIPAllocations() {}

  /**
   * Decodes and validates every record; the error names the pool and the offending entry, so that
   * a corrupted status is reported instead of silently losing or duplicating IPs.
   */
  public static SortedMap<String, PoolIPAllocation> decode(String poolName, String json) {
    String where = "SpiderIPPool " + poolName + " status.allocatedIPs";
    SortedMap<String, PoolIPAllocation> records = StatusJson.decode(json, PoolIPAllocation.class, where);
    for (Map.Entry<String, PoolIPAllocation> e : records.entrySet()) {
      String ip = e.getKey();
      try {
        IP.parse(ip);
      } catch (IPFormatException ex) {
        throw new StatusCodecException(where + ": key \"" + ip + "\" is not a bare IP address");
      }
      PoolIPAllocation record = e.getValue();
      if (record == null) {
        throw new StatusCodecException(where + ": IP " + ip + " has a null record");
      }
      if (record.pod() == null || record.pod().indexOf('/') <= 0 || record.pod().endsWith("/")) {
        throw new StatusCodecException(
            where + ": IP " + ip + " has pod \"" + record.pod() + "\", expected <namespace>/<name>");
      }
      if (record.podUid() == null || record.podUid().isEmpty()) {
        throw new StatusCodecException(where + ": IP " + ip + " of pod " + record.pod() + " has no podUid");
      }
    }
    return records;
  }

  /** Encodes with sorted keys; null when empty, so the field disappears as upstream's does. */
  public static String encode(Map<String, PoolIPAllocation> records) {
    return StatusJson.encode(records);
  }
}
