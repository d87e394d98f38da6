package io.spidernet.spiderpool.api.ip;

import java.math.BigInteger;

/**
 * A subnet in canonical form: {@code 10.0.0.0/24} is one, {@code 10.0.0.1/24} is not (host bits
 * set), as Spiderpool's webhook demands of {@code spec.subnet}.
 */
public record Cidr(IP network, int prefix) {
  public Cidr {
    if (prefix < 0 || prefix > network.bits()) {
      throw new IllegalArgumentException("prefix " + prefix + " out of range for IPv" + network.version());
    }
    if (!network.mask(prefix).equals(network)) {
      throw new IllegalArgumentException(network + "/" + prefix + " has host bits set");
    }
  }

  /** Parses a canonical CIDR; the error names the text and suggests the canonical form. */
  public static Cidr parse(String text) {
    Prefixed p = Prefixed.parse(text, "CIDR");
    IP network = p.address().mask(p.prefix());
    if (!network.equals(p.address())) {
      throw new IPFormatException(
          "invalid CIDR \"" + text + "\": host bits are set, the subnet is " + network + "/" + p.prefix());
    }
    return new Cidr(network, p.prefix());
  }

  /**
   * Parses CIDR text whether or not host bits are set ({@code 10.0.0.1/24} gives {@code 10.0.0.0/24});
   * compare {@link #toString()} with the text to tell whether it was written canonically.
   */
  public static Cidr parseAny(String text) {
    Prefixed p = Prefixed.parse(text, "CIDR");
    return containing(p.address(), p.prefix());
  }

  /** The subnet an interface address such as {@code 10.6.1.5/16} belongs to. */
  public static Cidr containing(IP address, int prefix) {
    return new Cidr(address.mask(prefix), prefix);
  }

  public int version() {
    return network.version();
  }

  public IP first() {
    return network;
  }

  public IP last() {
    return network.fill(prefix);
  }

  public IPRange toRange() {
    return new IPRange(first(), last());
  }

  public boolean contains(IP ip) {
    return ip.version() == version() && ip.mask(prefix).equals(network);
  }

  /** Number of addresses, exact for any prefix length. */
  public BigInteger size() {
    return BigInteger.ONE.shiftLeft(network.bits() - prefix);
  }

  /**
   * The label-value form Spiderpool puts in {@code ipam.spidernet.io/ippool-cidr}: every
   * {@code .}, {@code :} and {@code /} replaced by {@code -} ({@code 172.18.40.0/24} becomes
   * {@code 172-18-40-0-24}).
   */
  public String label() {
    return toString().replace('.', '-').replace(':', '-').replace('/', '-');
  }

  @Override
  public String toString() {
    return network + "/" + prefix;
  }

  /** An address with a prefix length, as in interface addresses and CIDR text. */
  record Prefixed(IP address, int prefix) {
    static Prefixed parse(String text, String what) {
      if (text == null) {
        throw new IPFormatException("invalid " + what + " \"null\"");
      }
      int slash = text.indexOf('/');
      if (slash < 0) {
        throw new IPFormatException("invalid " + what + " \"" + text + "\": missing /prefix");
      }
      IP address;
      try {
        address = IP.parse(text.substring(0, slash));
      } catch (IPFormatException e) {
        throw new IPFormatException("invalid " + what + " \"" + text + "\": " + e.getMessage());
      }
      String digits = text.substring(slash + 1);
      if (digits.isEmpty() || digits.length() > 3 || !digits.chars().allMatch(Character::isDigit)
          || (digits.length() > 1 && digits.charAt(0) == '0')) {
        throw new IPFormatException("invalid " + what + " \"" + text + "\": bad prefix length \"" + digits + "\"");
      }
      int prefix = Integer.parseInt(digits);
      if (prefix > address.bits()) {
        throw new IPFormatException(
            "invalid " + what + " \"" + text + "\": prefix length " + prefix + " exceeds " + address.bits());
      }
      return new Prefixed(address, prefix);
    }
  }
}
