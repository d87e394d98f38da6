package io.spidernet.spiderpool.api.ip;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * A set of addresses of one family as sorted, disjoint, non-adjacent ranges: what a pool's
 * {@code ips} minus {@code excludeIPs} denote. Every operation costs O(number of ranges), never
 * O(number of addresses). Immutable.
 */
public final class IPRanges {
  private final int version;
  private final List<IPRange> ranges;

  private IPRanges(int version, List<IPRange> normalized) {
    this.version = version;
    this.ranges = Collections.unmodifiableList(normalized);
  }

  public static IPRanges empty(int version) {
    checkVersion(version);
    return new IPRanges(version, List.of());
  }

  /** Sorts and merges overlapping or adjacent ranges; all must be of {@code version}. */
  public static IPRanges of(int version, Collection<IPRange> ranges) {
    checkVersion(version);
    List<IPRange> sorted = new ArrayList<>(ranges);
    for (IPRange r : sorted) {
      if (r.version() != version) {
        throw new IllegalArgumentException("range " + r + " is not IPv" + version);
      }
    }
    sorted.sort((a, b) -> a.first().compareTo(b.first()));
    List<IPRange> merged = new ArrayList<>(sorted.size());
    for (IPRange r : sorted) {
      if (!merged.isEmpty()) {
        IPRange last = merged.get(merged.size() - 1);
        IP after = last.last().next();
        if (after == null || r.first().compareTo(after) <= 0) {
          if (r.last().compareTo(last.last()) > 0) {
            merged.set(merged.size() - 1, new IPRange(last.first(), r.last()));
          }
          continue;
        }
      }
      merged.add(r);
    }
    return new IPRanges(version, merged);
  }

  /**
   * Parses Spiderpool's list form ({@code ["10.6.168.60-10.6.168.69", "10.6.168.80"]}). The error
   * names the field, the offending entry and the reason, e.g. {@code spec.ips[1]}.
   */
  public static IPRanges parse(int version, List<String> texts, String field) {
    checkVersion(version);
    if (texts == null || texts.isEmpty()) {
      return empty(version);
    }
    List<IPRange> parsed = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      IPRange r;
      try {
        r = IPRange.parse(texts.get(i));
      } catch (IPFormatException e) {
        throw new IPFormatException(field + "[" + i + "]: " + e.getMessage());
      }
      if (r.version() != version) {
        throw new IPFormatException(
            field + "[" + i + "]: \"" + texts.get(i) + "\" is IPv" + r.version() + ", expected IPv" + version);
      }
      parsed.add(r);
    }
    return of(version, parsed);
  }

  public static IPRanges of(Cidr cidr) {
    return new IPRanges(cidr.version(), List.of(cidr.toRange()));
  }

  private static void checkVersion(int version) {
    if (version != 4 && version != 6) {
      throw new IllegalArgumentException("IP version must be 4 or 6, not " + version);
    }
  }

  public int version() {
    return version;
  }

  public boolean isEmpty() {
    return ranges.isEmpty();
  }

  /** Number of ranges (not addresses). */
  public int size() {
    return ranges.size();
  }

  public IPRange get(int i) {
    return ranges.get(i);
  }

  public List<IPRange> ranges() {
    return ranges;
  }

  public boolean contains(IP ip) {
    if (ip.version() != version) {
      return false;
    }
    int lo = 0;
    int hi = ranges.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      IPRange r = ranges.get(mid);
      if (ip.compareTo(r.first()) < 0) {
        hi = mid - 1;
      } else if (ip.compareTo(r.last()) > 0) {
        lo = mid + 1;
      } else {
        return true;
      }
    }
    return false;
  }

  /** Whether every address of {@code other} is in this set. */
  public boolean containsAll(IPRanges other) {
    return other.subtract(this).isEmpty();
  }

  /** Exact number of addresses (a /64 has 2^64). */
  public BigInteger count() {
    BigInteger total = BigInteger.ZERO;
    for (IPRange r : ranges) {
      total = total.add(r.count());
    }
    return total;
  }

  /** {@link #count()} clamped to {@code Long.MAX_VALUE}, for int64 status fields. */
  public long countSaturated() {
    BigInteger count = count();
    return count.bitLength() < 64 ? count.longValue() : Long.MAX_VALUE;
  }

  /** The {@code n} lowest addresses of this set (all of them when it has fewer). */
  public IPRanges lowest(long n) {
    List<IPRange> out = new ArrayList<>();
    long left = n;
    for (int i = 0; i < ranges.size() && left > 0; i++) {
      IPRange r = ranges.get(i);
      BigInteger count = r.count();
      if (count.compareTo(BigInteger.valueOf(left)) <= 0) {
        out.add(r);
        left -= count.longValueExact();
      } else {
        out.add(new IPRange(r.first(), r.first().plus(left - 1)));
        left = 0;
      }
    }
    return new IPRanges(version, out);
  }

  /** The {@code n} highest addresses of this set (all of them when it has fewer). */
  public IPRanges highest(long n) {
    List<IPRange> out = new ArrayList<>();
    long left = n;
    for (int i = ranges.size() - 1; i >= 0 && left > 0; i--) {
      IPRange r = ranges.get(i);
      BigInteger count = r.count();
      if (count.compareTo(BigInteger.valueOf(left)) <= 0) {
        out.add(0, r);
        left -= count.longValueExact();
      } else {
        out.add(0, new IPRange(r.last().minus(left - 1), r.last()));
        left = 0;
      }
    }
    return new IPRanges(version, out);
  }

  public IPRanges union(IPRanges other) {
    sameVersion(other);
    List<IPRange> all = new ArrayList<>(ranges);
    all.addAll(other.ranges);
    return of(version, all);
  }

  /** The addresses of this set that are not in {@code other}. */
  public IPRanges subtract(IPRanges other) {
    sameVersion(other);
    if (other.isEmpty() || isEmpty()) {
      return this;
    }
    List<IPRange> out = new ArrayList<>();
    int j = 0;
    for (IPRange r : ranges) {
      IP start = r.first();
      while (j < other.ranges.size() && other.ranges.get(j).last().compareTo(start) < 0) {
        j++;
      }
      int k = j;
      while (start != null && k < other.ranges.size() && other.ranges.get(k).first().compareTo(r.last()) <= 0) {
        IPRange cut = other.ranges.get(k);
        if (cut.first().compareTo(start) > 0) {
          out.add(new IPRange(start, cut.first().previous()));
        }
        start = cut.last().compareTo(r.last()) >= 0 ? null : cut.last().next();
        k++;
      }
      if (start != null) {
        out.add(new IPRange(start, r.last()));
      }
    }
    return new IPRanges(version, out);
  }

  /** The addresses in both sets. */
  public IPRanges intersect(IPRanges other) {
    sameVersion(other);
    List<IPRange> out = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < ranges.size() && j < other.ranges.size()) {
      IPRange a = ranges.get(i);
      IPRange b = other.ranges.get(j);
      IP first = a.first().compareTo(b.first()) >= 0 ? a.first() : b.first();
      IP last = a.last().compareTo(b.last()) <= 0 ? a.last() : b.last();
      if (first.compareTo(last) <= 0) {
        out.add(new IPRange(first, last));
      }
      if (a.last().compareTo(b.last()) < 0) {
        i++;
      } else {
        j++;
      }
    }
    return new IPRanges(version, out);
  }

  /** Free addresses, lowest first, skipping {@code allocated}; see {@link FreeIPs}. */
  public FreeIPs free(SortedIPs allocated) {
    return new FreeIPs(this, allocated);
  }

  /** The lowest address not in {@code allocated}, or null when all are taken. */
  public IP lowestFree(SortedIPs allocated) {
    FreeIPs free = free(allocated);
    return free.hasNext() ? free.next() : null;
  }

  /** Spiderpool's list form: {@code a} for single addresses, {@code a-b} for ranges. */
  public List<String> toStrings() {
    List<String> out = new ArrayList<>(ranges.size());
    for (IPRange r : ranges) {
      out.add(r.toString());
    }
    return out;
  }

  private void sameVersion(IPRanges other) {
    if (other.version != version) {
      throw new IllegalArgumentException("cannot combine IPv" + version + " and IPv" + other.version + " ranges");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IPRanges r && r.version == version && r.ranges.equals(ranges);
  }

  @Override
  public int hashCode() {
    return ranges.hashCode() * 31 + version;
  }

  @Override
  public String toString() {
    return toStrings().toString();
  }
}
