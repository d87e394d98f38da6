package io.spidernet.spiderpool.api.ip;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 address as a 128-bit value (two longs), so that comparing, stepping and
 * counting never allocate per bit of address space. IPv4 addresses live in the low 32 bits.
 *
 * <p>Parsing is strict, like Go's {@code net.ParseIP} that Spiderpool uses: dotted-quad IPv4
 * without leading zeros, RFC 4291 IPv6 text (with {@code ::} and a trailing dotted quad), no zone,
 * no DNS. The family follows the syntax: {@code ::ffff:1.2.3.4} is an IPv6 address. Formatting is
 * canonical (RFC 5952 for IPv6). Instances are immutable and safe to share between threads.
 */
public final class IP implements Comparable<IP> {
  private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

  private final int version;
  private final long hi;
  private final long lo;

  private IP(int version, long hi, long lo) {
    this.version = version;
    this.hi = hi;
    this.lo = lo;
  }

  public static IP v4(long value) {
    if (value < 0 || value > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("IPv4 value out of range: " + value);
    }
    return new IP(4, 0, value);
  }

  public static IP v6(long hi, long lo) {
    return new IP(6, hi, lo);
  }

  /** Parses an address; throws {@link IPFormatException} naming the text and what is wrong. */
  public static IP parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IPFormatException("invalid IP address \"" + text + "\": empty");
    }
    return text.indexOf(':') >= 0 ? parseV6(text) : v4(parseV4(text, 0, text.length(), text));
  }

  /** Whether {@code text} is an IP address, without building an exception. */
  public static boolean isValid(String text) {
    try {
      parse(text);
      return true;
    } catch (IPFormatException e) {
      return false;
    }
  }

  private static long parseV4(String s, int from, int to, String whole) {
    long value = 0;
    int octets = 0;
    int i = from;
    while (i <= to) {
      int start = i;
      int octet = 0;
      while (i < to && s.charAt(i) != '.') {
        char c = s.charAt(i);
        if (c < '0' || c > '9') {
          throw bad(whole, "unexpected character '" + c + "'");
        }
        octet = octet * 10 + (c - '0');
        if (i - start >= 3 || octet > 255) {
          throw bad(whole, "IPv4 octet out of range");
        }
        i++;
      }
      if (i == start) {
        throw bad(whole, "empty IPv4 octet");
      }
      if (i - start > 1 && s.charAt(start) == '0') {
        throw bad(whole, "IPv4 octet with a leading zero");
      }
      if (++octets > 4) {
        throw bad(whole, "more than 4 IPv4 octets");
      }
      value = (value << 8) | octet;
      i++; // skip '.'
    }
    if (octets != 4) {
      throw bad(whole, "expected 4 IPv4 octets, found " + octets);
    }
    return value;
  }

  private static IP parseV6(String s) {
    if (s.indexOf('%') >= 0) {
      throw bad(s, "zones are not allowed");
    }
    int gap = s.indexOf("::");
    if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
      throw bad(s, "more than one '::'");
    }
    int[] groups = new int[8];
    int n;
    if (gap < 0) {
      n = parseGroups(s, 0, s.length(), groups, 0, s);
      if (n != 8) {
        throw bad(s, "expected 8 groups, found " + n);
      }
    } else {
      int[] tail = new int[8];
      int left = gap == 0 ? 0 : parseGroups(s, 0, gap, groups, 0, s);
      int right = gap + 2 == s.length() ? 0 : parseGroups(s, gap + 2, s.length(), tail, 0, s);
      if (left + right > 7) {
        throw bad(s, "too many groups around '::'");
      }
      System.arraycopy(tail, 0, groups, 8 - right, right);
      n = 8;
    }
    long hi = 0;
    long lo = 0;
    for (int g = 0; g < 4; g++) {
      hi = (hi << 16) | groups[g];
      lo = (lo << 16) | groups[g + 4];
    }
    return new IP(6, hi, lo);
  }

  /** Parses colon-separated hex groups (the last may be a dotted quad); returns how many. */
  private static int parseGroups(String s, int from, int to, int[] out, int at, String whole) {
    int count = at;
    int i = from;
    while (true) {
      int start = i;
      while (i < to && s.charAt(i) != ':') {
        i++;
      }
      if (i == start) {
        throw bad(whole, "empty group");
      }
      if (s.indexOf('.', start) >= 0 && s.indexOf('.', start) < i) {
        if (i != to) {
          throw bad(whole, "embedded IPv4 address must come last");
        }
        if (count > 6) {
          throw bad(whole, "too many groups");
        }
        long v4 = parseV4(s, start, i, whole);
        out[count++] = (int) (v4 >>> 16);
        out[count++] = (int) (v4 & 0xFFFF);
        return count;
      }
      if (i - start > 4) {
        throw bad(whole, "group longer than 4 hex digits");
      }
      int value = 0;
      for (int k = start; k < i; k++) {
        int digit = Character.digit(s.charAt(k), 16);
        if (digit < 0) {
          throw bad(whole, "unexpected character '" + s.charAt(k) + "'");
        }
        value = (value << 4) | digit;
      }
      if (count >= 8) {
        throw bad(whole, "more than 8 groups");
      }
      out[count++] = value;
      if (i == to) {
        return count;
      }
      i++; // skip ':'
      if (i == to) {
        throw bad(whole, "trailing ':'");
      }
    }
  }

  private static IPFormatException bad(String text, String why) {
    return new IPFormatException("invalid IP address \"" + text + "\": " + why);
  }

  /** 4 or 6. */
  public int version() {
    return version;
  }

  public boolean isV4() {
    return version == 4;
  }

  /** Address length in bits: 32 or 128. */
  public int bits() {
    return version == 4 ? 32 : 128;
  }

  long hi() {
    return hi;
  }

  long lo() {
    return lo;
  }

  /** The next address, or null after the family's last address. */
  public IP next() {
    if (version == 4) {
      return lo == 0xFFFF_FFFFL ? null : new IP(4, 0, lo + 1);
    }
    if (lo == -1L) {
      return hi == -1L ? null : new IP(6, hi + 1, 0);
    }
    return new IP(6, hi, lo + 1);
  }

  /** Whether this address is {@code other}'s next one, without creating it. */
  public boolean isSuccessorOf(IP other) {
    if (version != other.version) {
      return false;
    }
    if (other.lo == -1L) {
      return version == 6 && other.hi != -1L && hi == other.hi + 1 && lo == 0;
    }
    return hi == other.hi && lo == other.lo + 1 && (version == 6 || lo <= 0xFFFF_FFFFL);
  }

  /** The address {@code n} (≥ 0) after this one, or null past the family's last address. */
  public IP plus(long n) {
    if (n < 0) {
      throw new IllegalArgumentException("negative offset " + n);
    }
    if (version == 4) {
      return lo + n > 0xFFFF_FFFFL || lo + n < 0 ? null : new IP(4, 0, lo + n);
    }
    long sum = lo + n;
    boolean carry = Long.compareUnsigned(sum, lo) < 0;
    if (carry && hi == -1L) {
      return null;
    }
    return new IP(6, carry ? hi + 1 : hi, sum);
  }

  /** The address {@code n} (≥ 0) before this one, or null before the family's first address. */
  public IP minus(long n) {
    if (n < 0) {
      throw new IllegalArgumentException("negative offset " + n);
    }
    if (version == 4) {
      return lo - n < 0 ? null : new IP(4, 0, lo - n);
    }
    long diff = lo - n;
    boolean borrow = Long.compareUnsigned(lo, n) < 0;
    if (borrow && hi == 0) {
      return null;
    }
    return new IP(6, borrow ? hi - 1 : hi, diff);
  }

  /** The previous address, or null before the family's first address. */
  public IP previous() {
    if (version == 4) {
      return lo == 0 ? null : new IP(4, 0, lo - 1);
    }
    if (lo == 0) {
      return hi == 0 ? null : new IP(6, hi - 1, -1L);
    }
    return new IP(6, hi, lo - 1);
  }

  /** This address with the low {@code hostBits} bits cleared. */
  IP mask(int prefix) {
    int hostBits = bits() - prefix;
    if (hostBits == 0) {
      return this;
    }
    if (hostBits >= 128) {
      return new IP(version, 0, 0);
    }
    if (hostBits >= 64) {
      long hiMask = hostBits == 64 ? -1L : -1L << (hostBits - 64);
      return new IP(version, hi & hiMask, 0);
    }
    return new IP(version, hi, lo & (-1L << hostBits));
  }

  /** This address with the low {@code hostBits} bits set. */
  IP fill(int prefix) {
    int hostBits = bits() - prefix;
    if (hostBits == 0) {
      return this;
    }
    if (version == 4) {
      return new IP(4, 0, lo | ((1L << hostBits) - 1));
    }
    if (hostBits >= 128) {
      return new IP(6, -1L, -1L);
    }
    if (hostBits >= 64) {
      long hiFill = hostBits == 64 ? 0 : (1L << (hostBits - 64)) - 1;
      return new IP(6, hi | hiFill, -1L);
    }
    return new IP(6, hi, lo | ((1L << hostBits) - 1));
  }

  /** The unsigned 128-bit value. */
  public BigInteger toBigInteger() {
    BigInteger high = new BigInteger(Long.toUnsignedString(hi));
    return high.multiply(TWO_64).add(new BigInteger(Long.toUnsignedString(lo)));
  }

  /** Number of addresses from {@code from} to this one inclusive; both of the same family. */
  BigInteger countFrom(IP from) {
    return toBigInteger().subtract(from.toBigInteger()).add(BigInteger.ONE);
  }

  public InetAddress toInetAddress() {
    byte[] bytes = new byte[version == 4 ? 4 : 16];
    if (version == 4) {
      for (int i = 0; i < 4; i++) {
        bytes[i] = (byte) (lo >>> (24 - 8 * i));
      }
    } else {
      for (int i = 0; i < 8; i++) {
        bytes[i] = (byte) (hi >>> (56 - 8 * i));
        bytes[i + 8] = (byte) (lo >>> (56 - 8 * i));
      }
    }
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // only thrown for a wrong array length
    }
  }

  @Override
  public int compareTo(IP o) {
    if (version != o.version) {
      return Integer.compare(version, o.version);
    }
    int c = Long.compareUnsigned(hi, o.hi);
    return c != 0 ? c : Long.compareUnsigned(lo, o.lo);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IP ip && ip.version == version && ip.hi == hi && ip.lo == lo;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(hi) * 31 + Long.hashCode(lo) + version;
  }

  /** Canonical text: dotted quad, or RFC 5952 (lower case, longest zero run as {@code ::}). */
  @Override
  public String toString() {
    if (version == 4) {
      return (lo >>> 24) + "." + ((lo >>> 16) & 0xFF) + "." + ((lo >>> 8) & 0xFF) + "." + (lo & 0xFF);
    }
    int[] g = new int[8];
    for (int i = 0; i < 4; i++) {
      g[i] = (int) ((hi >>> (48 - 16 * i)) & 0xFFFF);
      g[i + 4] = (int) ((lo >>> (48 - 16 * i)) & 0xFFFF);
    }
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.toString();
  }
}
