package io.spidernet.spiderpool.api.ip;

import java.util.Arrays;
import java.util.Collection;

/**
 * A set of individual addresses (a pool's allocated IPs) as a sorted array: built in
 * O(n log n), looked up in O(log n), walked in order by {@link FreeIPs}. Immutable.
 */
public final class SortedIPs {
  private static final SortedIPs EMPTY = new SortedIPs(new IP[0]);

  private final IP[] ips;

  private SortedIPs(IP[] ips) {
    this.ips = ips;
  }

  public static SortedIPs empty() {
    return EMPTY;
  }

  public static SortedIPs of(Collection<IP> ips) {
    IP[] sorted = ips.toArray(new IP[0]);
    Arrays.sort(sorted);
    int n = 0;
    for (IP ip : sorted) {
      if (n == 0 || !sorted[n - 1].equals(ip)) {
        sorted[n++] = ip;
      }
    }
    return new SortedIPs(n == sorted.length ? sorted : Arrays.copyOf(sorted, n));
  }

  public boolean contains(IP ip) {
    return Arrays.binarySearch(ips, ip) >= 0;
  }

  public int size() {
    return ips.length;
  }

  /** The {@code i}-th address in ascending order. */
  public IP get(int i) {
    return ips[i];
  }

  /** Index of the first element not below {@code ip}. */
  int lowerBound(IP ip) {
    int i = Arrays.binarySearch(ips, ip);
    return i >= 0 ? i : -i - 1;
  }
}
