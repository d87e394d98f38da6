package io.spidernet.spiderpool.api.ip;

import java.math.BigInteger;

/** An inclusive range of addresses of one family; written {@code a-b}, or {@code a} when single. */
public record IPRange(IP first, IP last) {
  public IPRange {
    if (first.version() != last.version()) {
      throw new IllegalArgumentException("range " + first + "-" + last + " mixes IPv4 and IPv6");
    }
    if (first.compareTo(last) > 0) {
      throw new IllegalArgumentException("range " + first + "-" + last + " ends before it starts");
    }
  }

  public static IPRange single(IP ip) {
    return new IPRange(ip, ip);
  }

  /** Parses {@code a} or {@code a-b}; the error names the text and the reason. */
  public static IPRange parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IPFormatException("invalid IP range \"" + text + "\": empty");
    }
    int dash = text.indexOf('-');
    try {
      if (dash < 0) {
        return single(IP.parse(text));
      }
      IP first = IP.parse(text.substring(0, dash));
      IP last = IP.parse(text.substring(dash + 1));
      if (first.version() != last.version()) {
        throw new IPFormatException("invalid IP range \"" + text + "\": mixes IPv4 and IPv6");
      }
      if (first.compareTo(last) > 0) {
        throw new IPFormatException("invalid IP range \"" + text + "\": " + last + " is before " + first);
      }
      return new IPRange(first, last);
    } catch (IPFormatException e) {
      if (e.getMessage().startsWith("invalid IP range")) {
        throw e;
      }
      throw new IPFormatException("invalid IP range \"" + text + "\": " + e.getMessage());
    }
  }

  public int version() {
    return first.version();
  }

  public boolean contains(IP ip) {
    return ip.version() == version() && first.compareTo(ip) <= 0 && ip.compareTo(last) <= 0;
  }

  public BigInteger count() {
    return last.countFrom(first);
  }

  @Override
  public String toString() {
    return first.equals(last) ? first.toString() : first + "-" + last;
  }
}
