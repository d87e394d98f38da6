package io.spidernet.spiderpool.webhook.rules;

import io.spidernet.spiderpool.api.ip.Cidr;
import io.spidernet.spiderpool.api.ip.IP;
import io.spidernet.spiderpool.api.ip.IPFormatException;
import io.spidernet.spiderpool.api.ip.IPRange;
import io.spidernet.spiderpool.api.ip.IPRanges;
import io.spidernet.spiderpool.api.v2beta1.Route;
import io.spidernet.spiderpool.webhook.review.FieldError;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The field rules pools and subnets share (spec 3.1 steps 1-5, 3.2): family, CIDR, IP ranges,
 * gateway and routes. Each returns the first problem, or null. {@code owner} names the kind in
 * messages ("IPPool", "Subnet") as Spiderpool does.
 */
final class SpecChecks {
  static final String IP_VERSION = "spec.ipVersion";
  static final String SUBNET = "spec.subnet";
  static final String IPS = "spec.ips";
  static final String EXCLUDE_IPS = "spec.excludeIPs";
  static final String GATEWAY = "spec.gateway";
  static final String ROUTES = "spec.routes";

  private SpecChecks() {}

  /**
   * Parsed {@code spec.subnet} texts of the pools and subnets in the cache: every review compares
   * against all of them, so each text is parsed once, not once per review. Bounded: cleared when full.
   */
  private static final Map<String, Optional<Cidr>> PARSED = new ConcurrentHashMap<>();
  private static final int PARSED_MAX = 65_536;

  /** The CIDR a text names (host bits allowed), or null when it names none. */
  static Cidr cidrOf(String text) {
    if (text == null) {
      return null;
    }
    Optional<Cidr> cidr = PARSED.get(text);
    if (cidr == null) {
      try {
        cidr = Optional.of(Cidr.parseAny(text));
      } catch (IPFormatException e) {
        cidr = Optional.empty();
      }
      if (PARSED.size() >= PARSED_MAX) {
        PARSED.clear();
      }
      PARSED.put(text, cidr);
    }
    return cidr.orElse(null);
  }

  /** 4 or 6 from a CIDR (host bits allowed), or 0 when it is not one. */
  static int familyOf(String cidr) {
    Cidr parsed = cidrOf(cidr);
    return parsed == null ? 0 : parsed.version();
  }

  /** Whether two subnets share an address (one contains the other's first address). */
  static boolean overlaps(Cidr mine, String other) {
    Cidr theirs = cidrOf(other);
    return theirs != null && theirs.version() == mine.version() && (theirs.contains(mine.first()) || mine.contains(theirs.first()));
  }

  /** Whether {@code other} names the same subnet as {@code mine}. */
  static boolean sameCidr(Cidr mine, String other) {
    return mine.equals(cidrOf(other));
  }

  static FieldError ipVersion(Long version, WebhookConfig config) {
    return ipVersion(version, config, SUBNET);
  }

  /** {@code inferredFrom}: the field the mutation reads the family from ({@code spec.ips} for reserved IPs). */
  static FieldError ipVersion(Long version, WebhookConfig config, String inferredFrom) {
    if (version == null) {
      return FieldError.invalid(IP_VERSION, null, "is not generated correctly, '" + inferredFrom + "' may be invalid");
    }
    if (version != 4 && version != 6) {
      return FieldError.notSupported(IP_VERSION, version, List.of("4", "6"));
    }
    if (version == 4 && !config.enableIPv4()) {
      return FieldError.forbidden(IP_VERSION, "IPv4 is disabled");
    }
    if (version == 6 && !config.enableIPv6()) {
      return FieldError.forbidden(IP_VERSION, "IPv6 is disabled");
    }
    return null;
  }

  /** UPDATE of a pool or subnet: {@code ipVersion} and {@code subnet} stay as stored. */
  static FieldError unchanged(Long oldVersion, String oldSubnet, Long version, String subnet) {
    if (version != null && oldVersion != null && !version.equals(oldVersion)) {
      return FieldError.forbidden(IP_VERSION, "is not changeable");
    }
    if (!java.util.Objects.equals(subnet, oldSubnet)) {
      return FieldError.forbidden(SUBNET, "is not changeable");
    }
    return null;
  }

  /** {@code spec.subnet} parses as a canonical CIDR of {@code version}. */
  static FieldError cidr(int version, String subnet) {
    Cidr any;
    try {
      any = Cidr.parseAny(subnet);
    } catch (IPFormatException e) {
      return FieldError.invalid(SUBNET, subnet, e.getMessage());
    }
    if (any.version() != version) {
      return FieldError.invalid(SUBNET, subnet, "not a valid IPv" + version + " CIDR");
    }
    if (!any.toString().equals(subnet)) {
      return FieldError.invalid(SUBNET, subnet, "unformatted subnet " + subnet + ", please change it to " + any);
    }
    return null;
  }

  /** Every entry of {@code field} is an IP or {@code a-b} range of the family inside the subnet. */
  static FieldError rangesInside(String field, int version, Cidr subnet, List<String> entries, String owner) {
    if (entries == null) {
      return null;
    }
    for (int i = 0; i < entries.size(); i++) {
      String entry = entries.get(i);
      String path = field + "[" + i + "]";
      IPRange range;
      try {
        range = IPRange.parse(entry);
      } catch (IPFormatException e) {
        return FieldError.invalid(path, entry, e.getMessage());
      }
      if (range.version() != version) {
        return FieldError.invalid(path, entry, "not an IPv" + version + " address or range");
      }
      if (!subnet.contains(range.first()) || !subnet.contains(range.last())) {
        return FieldError.invalid(path, entry, "not pertains to the 'spec.subnet' " + subnet + " of " + owner);
      }
    }
    return null;
  }

  /** Entries of {@code spec.ips} do not overlap each other (the mutation merges them; this catches bypasses). */
  static FieldError noOverlapWithin(String field, int version, List<String> entries) {
    if (entries == null || entries.size() < 2) {
      return null;
    }
    IPRanges seen = IPRanges.empty(version);
    for (int i = 0; i < entries.size(); i++) {
      IPRanges one = IPRanges.parse(version, List.of(entries.get(i)), field);
      if (!seen.intersect(one).isEmpty()) {
        return FieldError.invalid(field + "[" + i + "]", entries.get(i), "overlaps with another entry of '" + field + "'");
      }
      seen = seen.union(one);
    }
    return null;
  }

  /** The gateway is inside the subnet and, when an {@code ips} entry holds it, also excluded. */
  static FieldError gateway(int version, Cidr subnet, String gateway, List<String> ips, List<String> excludeIPs,
      String owner) {
    if (gateway == null) {
      return null;
    }
    FieldError inside = ipInside(GATEWAY, version, subnet, gateway, owner);
    if (inside != null) {
      return inside;
    }
    IP gw = IP.parse(gateway);
    if (contains(excludeIPs, gw)) {
      return null;
    }
    for (int i = 0; ips != null && i < ips.size(); i++) {
      if (contains(List.of(ips.get(i)), gw)) {
        return FieldError.invalid(IPS + "[" + i + "]", ips.get(i), "conflicts with 'spec.gateway' " + gateway
            + ", add the gateway IP address to 'spec.excludeIPs' or remove it from 'spec.ips'");
      }
    }
    return null;
  }

  /** No default route (that is {@code spec.gateway}), unique destinations, each of the family, via the subnet. */
  static FieldError routes(int version, Cidr subnet, List<Route> routes, String owner) {
    if (routes == null) {
      return null;
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < routes.size(); i++) {
      Route r = routes.get(i);
      String dst = ROUTES + "[" + i + "].dst";
      if ((version == 4 && "0.0.0.0/0".equals(r.dst)) || (version == 6 && "::/0".equals(r.dst))) {
        return FieldError.invalid(dst, r.dst, "please specify 'spec.gateway' to configure the default route");
      }
      if (!seen.add(String.valueOf(r.dst))) {
        return FieldError.invalid(dst, r.dst, "duplicate route with the same dst");
      }
      try {
        if (Cidr.parseAny(r.dst).version() != version) {
          return FieldError.invalid(dst, r.dst, "not a valid IPv" + version + " CIDR");
        }
      } catch (IPFormatException e) {
        return FieldError.invalid(dst, r.dst, e.getMessage());
      }
      FieldError gw = ipInside(ROUTES + "[" + i + "].gw", version, subnet, r.gw, owner);
      if (gw != null) {
        return gw;
      }
    }
    return null;
  }

  static FieldError ipInside(String field, int version, Cidr subnet, String text, String owner) {
    IP ip;
    try {
      ip = IP.parse(text);
    } catch (IPFormatException e) {
      return FieldError.invalid(field, text, e.getMessage());
    }
    if (ip.version() != version) {
      return FieldError.invalid(field, text, "not an IPv" + version + " address");
    }
    if (!subnet.contains(ip)) {
      return FieldError.invalid(field, text, "not pertains to the 'spec.subnet' " + subnet + " of " + owner);
    }
    return null;
  }

  /** ips − excludeIPs of a spec that passed {@link #rangesInside}. */
  static IPRanges usable(int version, List<String> ips, List<String> excludeIPs) {
    return IPRanges.parse(version, ips, IPS).subtract(IPRanges.parse(version, excludeIPs, EXCLUDE_IPS));
  }

  /** ips − excludeIPs of a stored object, or empty when it cannot be read (it was admitted before us). */
  static IPRanges usableOrEmpty(Long version, List<String> ips, List<String> excludeIPs) {
    if (version == null || (version != 4 && version != 6)) {
      return null;
    }
    try {
      return usable(version.intValue(), ips, excludeIPs);
    } catch (IllegalArgumentException e) {
      return IPRanges.empty(version.intValue());
    }
  }

  private static boolean contains(List<String> entries, IP ip) {
    if (entries == null) {
      return false;
    }
    for (String e : entries) {
      try {
        if (IPRange.parse(e).contains(ip)) {
          return true;
        }
      } catch (IPFormatException ignored) {
        // reported by rangesInside
      }
    }
    return false;
  }
}
